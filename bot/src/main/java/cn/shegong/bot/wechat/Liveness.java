package cn.shegong.bot.wechat;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import cn.shegong.core.storage.Redis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;

/**
 * This instance's presence in Redis: {@code instance:<id>} exists while it is alive. Claims and
 * turns carry the id, so a retry or a backlog item left by an instance that stopped saying so (it
 * crashed before answering) is taken over instead of waited for.
 */
final class Liveness {

    /**
     * How long the key lasts without a refresh; refreshed every third of it. Shorter than the wait
     * of a retry that finds its push pending ({@code Inbox}), so a retry arriving just after its
     * first delivery's instance crashed sees the crash before it must answer WeChat.
     */
    static final Duration LEASE = Duration.ofSeconds(3);
    private static final Logger LOG = Logger.getLogger(Liveness.class.getName());

    private final Redis redis;
    private final String id = UUID.randomUUID().toString();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "shegong-liveness");
        t.setDaemon(true);
        return t;
    });

    Liveness(Redis redis) {
        this.redis = redis;
    }

    /** This instance's id: alive while {@link #prefix()} + id exists in Redis. */
    String id() {
        return id;
    }

    String prefix() {
        return redis.key("instance", "");
    }

    /** Says this instance is alive, for {@link #LEASE}. */
    void heartbeat() {
        redis.client().set(prefix() + id, "1", SetParams.setParams().px(LEASE.toMillis()));
    }

    /**
     * Forgets earlier instances where that is safe, says this one is alive, and keeps saying so
     * every third of {@link #LEASE} on a platform thread of its own — virtual threads saturating
     * one CPU cannot delay it.
     */
    void start() {
        forgetEarlierInstances();
        heartbeat();
        long every = LEASE.toMillis() / 3;
        heartbeats.scheduleAtFixedRate(() -> {
            try {
                redis.orElse(() -> { // a refresh that fails marks Redis down (health says so) until its probe finds it again
                    heartbeat();
                    return true;
                }, () -> false);
            } catch (RuntimeException e) {
                LOG.fine(() -> "liveness not refreshed: " + e.getClass().getSimpleName());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    void stop() {
        heartbeats.shutdownNow();
    }

    /**
     * With an embedded Redis this is the only instance there can be: any other instance recorded in
     * it is this service before a crash, so what it left pending is taken over at once.
     */
    private void forgetEarlierInstances() {
        if (!redis.isEmbedded()) {
            return;
        }
        var params = new ScanParams().match(prefix() + "*").count(100);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            var page = redis.client().scan(cursor, params);
            page.getResult().forEach(k -> redis.client().del(k));
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }
}
