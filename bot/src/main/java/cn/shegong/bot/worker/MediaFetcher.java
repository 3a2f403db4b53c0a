package cn.shegong.bot.worker;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import cn.shegong.bot.outbound.SendFailure;
import cn.shegong.bot.outbound.WeChatApi;
import cn.shegong.core.media.MediaStore;
import cn.shegong.core.storage.StorageFaults;

/**
 * Downloads the photos and voice messages of cases (visit notes, and what residents send) from
 * WeChat (media/get) into MongoDB, sealed, well within the 3 days WeChat keeps them: at once,
 * then with growing pauses on failure. A file WeChat no longer has (40007) or that could not be
 * fetched within its lifetime is marked lost, so the console says so instead of showing nothing.
 * It runs on a thread of its own, a bounded number of files per run, so it never holds up the outbox.
 */
public final class MediaFetcher {

    public static final Duration LIFETIME = Duration.ofDays(3);
    private static final Duration LEASE = Duration.ofMinutes(2);
    private static final Duration MAX_PAUSE = Duration.ofHours(1);
    private static final int PER_RUN = 20;
    private static final int INVALID_MEDIA_ID = 40007;
    private static final Logger LOG = System.getLogger(MediaFetcher.class.getName());

    private final MediaStore media;
    private final WeChatApi api;
    private final Clock clock;
    private volatile ScheduledExecutorService scheduler;

    public MediaFetcher(MediaStore media, WeChatApi api, Clock clock) {
        this.media = media;
        this.api = api;
        this.clock = clock;
    }

    /** Fetches every 5 s on a thread of its own until {@link #stop}. */
    public void start() {
        ScheduledExecutorService own = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("shegong-media").factory());
        scheduler = own;
        own.scheduleWithFixedDelay(this::runSafely, 5, 5, TimeUnit.SECONDS);
    }

    public void stop() {
        ScheduledExecutorService s = scheduler;
        if (s != null) {
            s.shutdownNow();
        }
    }

    /** A note with media was saved: fetch now rather than at the next tick. */
    public void wake() {
        ScheduledExecutorService s = scheduler;
        if (s != null && !s.isShutdown()) {
            s.execute(this::runSafely);
        }
    }

    /** Fetches the downloads that are due, at most {@value #PER_RUN}; returns how many were tried. */
    public int runOnce() {
        int tried = 0;
        while (tried < PER_RUN) {
            Optional<MediaStore.Job> job = media.claimDue(clock.instant(), LEASE);
            if (job.isEmpty()) {
                break;
            }
            fetch(job.get());
            tried++;
        }
        return tried;
    }

    private void fetch(MediaStore.Job job) {
        Instant now = clock.instant();
        try {
            WeChatApi.Download file = api.download(job.mediaId());
            String fileId = media.put(job.mediaId(), file.contentType(), file.bytes());
            media.fetched(job.caseId(), job.itemId(), "stored", Optional.of(fileId));
            media.finish(job.id());
        } catch (SendFailure e) {
            failed(job, now, e.errcode() == INVALID_MEDIA_ID, "errcode " + e.errcode());
        } catch (RuntimeException e) { // MongoDB, a file, anything else: the same lifetime rule
            failed(job, now, false, e.getClass().getSimpleName());
        }
    }

    private void failed(MediaStore.Job job, Instant now, boolean gone, String why) {
        if (gone || !now.isBefore(job.createdAt().plus(LIFETIME))) {
            LOG.log(Level.WARNING, "a case''s media could not be fetched and is lost ({0})", why);
            media.fetched(job.caseId(), job.itemId(), "lost", Optional.empty());
            media.finish(job.id());
            return;
        }
        Duration pause = Duration.ofSeconds(10L << Math.min(job.attempts(), 9));
        media.retryAt(job.id(), now.plus(pause.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause));
    }

    private void runSafely() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            StorageFaults.log(LOG, "media fetch run failed", e);
        }
    }
}
