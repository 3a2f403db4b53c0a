package cn.shegong.bot.outbound;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

import cn.shegong.core.outbox.OutboxItem;
import cn.shegong.core.outbox.OutboxStore;
import cn.shegong.core.resident.ResidentStore;
import cn.shegong.core.storage.Redis;
import cn.shegong.core.storage.StorageFaults;

import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;

/**
 * Everything we send that is not a passive reply. Each item is stored first, then sent by whichever
 * replica claims it, within the account's send rate ({@link SendRate}), down the delivery ladder ({@link Delivery}):
 * <ol>
 *   <li>the person unfollowed (as far as we know) → unreachable, nothing is sent;</li>
 *   <li>a text inside the 48-hour window → customer-service message;</li>
 *   <li>outside it, or WeChat says so (45015, 45047) → the item's template message;</li>
 *   <li>no template → undeliverable, for a person to follow up.</li>
 * </ol>
 * Failures follow {@link SendFailure.Kind}: retried with exponential backoff (bounded), quota
 * errors much later, unreachable recipients never again.
 */
public final class Outbox {

    /** How long a message that follows a passive reply waits, so it lands after the reply. */
    public static final Duration AFTER_REPLY = Duration.ofSeconds(1);
    /** A menu comes after the reply and after any message that follows it. */
    public static final Duration MENU_AFTER_REPLY = Duration.ofSeconds(2);
    /**
     * A menu not sent within this long after it was queued is dropped: the conversation has moved
     * on (the person typed, or gave up), and options for an old question would only confuse.
     */
    public static final Duration MENU_FRESH = Duration.ofMinutes(1);
    /** How often menus past {@link #MENU_FRESH} are dropped; one claimed in between is dropped as it comes. */
    static final Duration DROP_EVERY = Duration.ofMillis(500);
    /**
     * Due items found by one look, kept for the claims that follow: a look reads every waiting
     * item on the embedded store, and under a backlog past WeChat's 20 sends a second the sender
     * looked twice a second (docs/benchmarks.md). More than {@link #LOOK_AGAIN}'s sends at that rate.
     */
    static final int LOOK_AHEAD = 128;
    /** What a look found is used for this long at most; then, or once it is used up, the sender looks again. */
    static final Duration LOOK_AGAIN = Duration.ofSeconds(5);
    /** The template a chat message falls back to (templates/wechat/templates.yaml). */
    public static final String MESSAGE_WAITING = "message_waiting";
    static final Duration LEASE = Duration.ofMinutes(1);
    /** Items claimed at once: sent one after another well within the lease, even at WeChat's slowest. */
    static final int BATCH = 32;
    private static final Logger LOG = Logger.getLogger(Outbox.class.getName());

    private final OutboxStore store;
    private final SendRate rate;
    private final Delivery delivery;
    private final Clock clock;
    private volatile ScheduledExecutorService scheduler;
    /**
     * What the last look found due, most overdue first, not yet claimed; when it looked; and when
     * stale menus may next be dropped. Guarded by a lock, not {@code synchronized}: the claims under it wait on MongoDB, and the scheduler's
     * thread is virtual (on Java 21 a monitor held across I/O pins the carrier, and with one CPU
     * there is one carrier for every request being handled).
     */
    private final ReentrantLock looking = new ReentrantLock();
    private final ArrayDeque<OutboxStore.Due> found = new ArrayDeque<>();
    private Instant lookedAt = Instant.MIN;
    private Instant nextDrop = Instant.MIN;

    /** {@code sendsPerSecond}: the account's sends a second, across replicas ({@link SendRate}). */
    public Outbox(OutboxStore store, ResidentStore residents, WeChatApi api, TemplateBindings templates, Redis redis, int sendsPerSecond,
                  Clock clock, MeterRegistry registry) {
        this.store = store;
        this.rate = new SendRate(redis, sendsPerSecond);
        this.delivery = new Delivery(store, residents, api, templates, rate, clock, registry);
        this.clock = clock;
        registry.getOrCreate(Gauge.builder("shegong.outbox.waiting", () -> {
            try {
                return (double) store.backlog().pending();
            } catch (RuntimeException e) {
                return Double.NaN; // MongoDB does not answer: the scrape still succeeds
            }
        }).description("Outbox items not yet sent (due now or waiting for a retry), across replicas"));
    }

    /** A chat message to a resident; if the 48-hour window has closed, a "you have a message" card goes instead. */
    public String sendText(String openid, String text) {
        Map<String, String> values = new java.util.HashMap<>(TemplateBindings.timeValues(clock.instant()));
        values.put("preview", text);
        return sendText(openid, text, MESSAGE_WAITING, values);
    }

    /**
     * A chat message that follows a passive reply being sent now: due a moment later, so that it
     * arrives after the reply (WeChat shows messages in the order they reach it).
     */
    public String sendTextAfterReply(String openid, String text) {
        Map<String, String> values = new java.util.HashMap<>(TemplateBindings.timeValues(clock.instant()));
        values.put("preview", text);
        String id = store.enqueue(openid, Optional.of(text), Optional.of(new OutboxItem.Notice(MESSAGE_WAITING, values)),
                clock.instant(), clock.instant().plus(AFTER_REPLY));
        return id;
    }

    /** Tappable options after a passive reply being sent now (inside the window only; typing still works without them). */
    public String sendMenuAfterReply(String openid, OutboxItem.Menu menu) {
        return store.enqueueMenu(openid, menu, clock.instant(), clock.instant().plus(MENU_AFTER_REPLY));
    }

    /** A chat message whose fallback outside the 48-hour window is the template {@code kind} with {@code values}. */
    public String sendText(String openid, String text, String kind, Map<String, String> values) {
        return enqueue(openid, Optional.of(text), Optional.of(new OutboxItem.Notice(kind, values)));
    }

    /** A template message only, e.g. a status change that must reach the person whenever it happens. */
    public String sendNotice(String openid, String kind, Map<String, String> values) {
        return enqueue(openid, Optional.empty(), Optional.of(new OutboxItem.Notice(kind, values)));
    }

    private String enqueue(String openid, Optional<String> text, Optional<OutboxItem.Notice> notice) {
        String id = store.enqueue(openid, text, notice, clock.instant());
        wake();
        return id;
    }

    /** Polls for due items every half second on {@code scheduler}; enqueueing wakes it at once. */
    public void start(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
        scheduler.execute(this::archiveStranded);
        scheduler.scheduleWithFixedDelay(this::drainSafely, 500, 500, TimeUnit.MILLISECONDS);
    }

    private void wake() {
        ScheduledExecutorService s = scheduler;
        if (s != null && !s.isShutdown()) {
            s.execute(this::drainSafely);
        }
    }

    /** Items a crash left marked final among the waiting ones move to the finished ones. */
    private void archiveStranded() {
        try {
            int moved = store.archiveFinished();
            if (moved > 0) {
                LOG.info(() -> moved + " finished outbox items moved out of the waiting ones");
            }
        } catch (RuntimeException e) {
            StorageFaults.log(LOG, "moving finished outbox items failed", e);
        }
    }

    private void drainSafely() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            StorageFaults.log(LOG, "outbox run failed", e);
        }
    }

    /**
     * Sends every item that is due now, as far as this second's sends allow; returns how many were
     * handled. Only as many items are claimed as may still be sent this second: what waits beyond
     * that is left untouched for the next poll, instead of each item being claimed and put back
     * (two writes each, every poll, for the whole backlog). The due items one look finds serve the
     * claims of the next seconds ({@link #LOOK_AHEAD}); what falls due meanwhile waits for the next
     * look (at most {@link #LOOK_AGAIN}), as it would have waited behind them anyway; only a send
     * whose lease ran out meanwhile goes up to that much later than it could. Menus that waited past
     * {@link #MENU_FRESH} are dropped before each look, all in one command (at most every {@link #DROP_EVERY}).
     */
    public int runOnce() {
        int handled = 0;
        for (List<OutboxItem> batch = claimWithinRate(); !batch.isEmpty(); batch = claimWithinRate()) {
            Instant claimed = clock.instant();
            for (OutboxItem item : batch) {
                if (clock.instant().isAfter(claimed.plus(LEASE.dividedBy(2)))) {
                    return handled; // WeChat is slow: the rest are taken over when their lease ends, never sent by two replicas
                }
                delivery.deliver(item);
                handled++;
            }
        }
        return handled;
    }

    /** At most every {@link #DROP_EVERY}: every enqueued notice wakes the sender, and each drop is a query of the waiting items. */
    private void dropStaleMenus(Instant now) {
        if (now.isBefore(nextDrop)) {
            return;
        }
        nextDrop = now.plus(DROP_EVERY);
        long stale = store.dropMenusQueuedBefore(now.minus(MENU_FRESH));
        if (stale > 0) {
            delivery.count("stale_menu", stale);
        }
    }

    /** Claims as many due items as this second's sends allow, from what the last look found (looking again when needed). */
    private List<OutboxItem> claimWithinRate() {
        Instant now = clock.instant();
        int room = Math.min(BATCH, rate.room(now));
        if (room == 0) {
            return List.of();
        }
        List<OutboxItem> claimed = new ArrayList<>(room);
        looking.lock(); // runOnce runs on the scheduler, and on a test's thread
        try {
            if (found.isEmpty() || !now.isBefore(lookedAt.plus(LOOK_AGAIN))) {
                dropStaleMenus(now);
                found.clear();
                found.addAll(store.due(now, LOOK_AHEAD));
                lookedAt = now;
            }
            while (claimed.size() < room && !found.isEmpty()) {
                store.claim(found.poll(), now, LEASE).ifPresent(claimed::add); // empty: it moved on (another replica, a drop)
            }
        } finally {
            looking.unlock();
        }
        return claimed;
    }

}
