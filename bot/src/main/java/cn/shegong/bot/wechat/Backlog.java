package cn.shegong.bot.wechat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import cn.shegong.core.storage.FieldCipher;
import cn.shegong.core.storage.Redis;
import cn.shegong.core.storage.StorageFaults;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.params.ScanParams;

/**
 * Pushes the webhook accepted but could not handle then — too busy, MongoDB unreachable, or an
 * earlier push of the same person still waiting here — kept in a Redis list (encrypted, in Redis's
 * append-only file) so that WeChat can be answered {@code success} at once, and handled by one
 * drainer per instance in arrival order, the answer following as a customer-service message. A
 * person's count of waiting pushes ({@code wx:held:<openid>}) lets the webhook keep their next push
 * behind them, so one person's messages are handled in order. An item moves to the instance's own
 * working list while it is handled and is removed after; the working list of an instance that is no
 * longer alive (a crash) goes back to the head of the queue. Bounded: beyond {@link #CAPACITY} a
 * push is refused and WeChat retries it.
 */
final class Backlog {

    static final int CAPACITY = 50_000;
    /** A person's waiting count outlives any backlog: a day, so a lost decrement cannot hold them for long. */
    private static final int HELD_SECONDS = 86_400;
    private static final Duration RECLAIM_EVERY = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(Backlog.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEEP = """
            if redis.call('llen', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
            redis.call('rpush', KEYS[1], ARGV[1])
            redis.call('incr', KEYS[2])
            redis.call('expire', KEYS[2], ARGV[3])
            if string.sub(redis.call('get', KEYS[3]) or '', 1, 8) == 'pending:' then
              redis.call('set', KEYS[3], ARGV[4], 'EX', ARGV[5])
            end
            return 1""";
    private static final String WITHDRAW = """
            if redis.call('lrem', KEYS[1], 1, ARGV[1]) == 0 then return 0 end
            if redis.call('decr', KEYS[2]) <= 0 then redis.call('del', KEYS[2]) end
            return 1""";
    private static final String DONE = """
            redis.call('lrem', KEYS[1], 1, ARGV[1])
            if redis.call('decr', KEYS[2]) <= 0 then redis.call('del', KEYS[2]) end
            return 1""";
    private static final String PUT_BACK = """
            if redis.call('lrem', KEYS[1], 1, ARGV[1]) > 0 then redis.call('lpush', KEYS[2], ARGV[1]) end
            return 1""";

    /**
     * What the drainer needs: the push's XML fields and its retry key; {@code copy} when it was kept
     * beside a handling in this instance that may yet store it (see {@link #keepCopy}).
     */
    record Item(String retryKey, Map<String, String> fields, boolean copy) {
    }

    private final Redis redis;
    private final FieldCipher cipher;
    private final String queue;
    private final String workingPrefix;
    private final String working;
    private final String livenessPrefix;
    private final BooleanSupplier storeDown;
    private volatile boolean running;
    private Thread drainer;

    /**
     * {@code instance}: this instance's id, alive while {@code livenessPrefix + instance} exists;
     * {@code storeDown}: while true, nothing is taken from the backlog.
     */
    Backlog(Redis redis, FieldCipher cipher, String instance, String livenessPrefix, BooleanSupplier storeDown) {
        this.redis = redis;
        this.cipher = cipher;
        this.queue = redis.key("wx", "backlog");
        this.workingPrefix = redis.key("wx", "backlog", "working");
        this.working = workingPrefix + ":" + instance;
        this.livenessPrefix = livenessPrefix;
        this.storeDown = storeDown;
    }

    /**
     * Keeps the push for later and marks its claim, if it is still pending under {@code retryKey},
     * {@link Claims#KEPT}, so WeChat's retries are answered at once; false when the backlog is full
     * or Redis is unreachable.
     */
    boolean keep(String retryKey, InboundMessage message) {
        return push(retryKey, message, false) != null;
    }

    /**
     * As {@link #keep}, beside a handling in this instance that may yet store the push: the drainer
     * handles the copy only as a first delivery (a duplicate is left alone), and {@link #withdraw}
     * takes it back once that handling has stored it. Returns the kept item, null when not kept.
     */
    String keepCopy(String retryKey, InboundMessage message) {
        return push(retryKey, message, true);
    }

    /** Takes back a copy the drainer has not started on; the person's waiting count with it. */
    void withdraw(String sealed, InboundMessage message) {
        redis.orElse(() -> redis.client().eval(WITHDRAW, List.of(queue, held(message)), List.of(sealed)), () -> 0L);
    }

    private String push(String retryKey, InboundMessage message, boolean copy) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("retryKey", retryKey);
        item.put("fields", message.xml());
        item.put("copy", copy);
        try {
            String sealed = cipher.encrypt(JSON.writeValueAsString(item));
            // With Redis unreachable there is nowhere to keep it: refused, and WeChat retries it.
            boolean kept = redis.orElse(() -> ((Long) redis.client().eval(KEEP, List.of(queue, held(message), retryKey), List.of(sealed,
                    Integer.toString(CAPACITY), Integer.toString(HELD_SECONDS), Claims.KEPT, Long.toString(Claims.RETRY_TTL_SECONDS)))) > 0,
                    () -> false);
            return kept ? sealed : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long size() {
        return redis.client().llen(queue);
    }

    /** Puts back what crashed instances were working on, then drains in a virtual thread until {@link #stop}. */
    void start(BiConsumer<Item, InboundMessage> handler) {
        reclaim();
        running = true;
        drainer = Thread.ofVirtual().name("shegong-backlog").start(() -> drain(handler));
    }

    /** Working lists of instances no longer alive (and the shared one of earlier versions) go back to the queue's head. */
    private void reclaim() {
        var params = new ScanParams().match(workingPrefix + "*").count(100);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            var page = redis.client().scan(cursor, params);
            for (String key : page.getResult()) {
                String owner = key.length() > workingPrefix.length() ? key.substring(workingPrefix.length() + 1) : "";
                if (!key.equals(working) && (owner.isEmpty() || !redis.client().exists(livenessPrefix + owner))) {
                    while (redis.client().lmove(key, queue, ListDirection.RIGHT, ListDirection.LEFT) != null) {
                        LOG.info("put back a backlog item an instance left when it stopped");
                    }
                }
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }

    private void drain(BiConsumer<Item, InboundMessage> handler) {
        long nextReclaim = System.nanoTime() + RECLAIM_EVERY.toNanos();
        while (running) {
            if (redis.degraded() || storeDown.getAsBoolean()) {
                pause(); // what is kept stays in Redis until both answer again
                continue;
            }
            String sealed = null;
            InboundMessage message = null;
            try {
                if (System.nanoTime() > nextReclaim) {
                    reclaim();
                    nextReclaim = System.nanoTime() + RECLAIM_EVERY.toNanos();
                }
                sealed = redis.client().blmove(queue, working, ListDirection.LEFT, ListDirection.RIGHT, 1.0);
                if (sealed == null) {
                    continue;
                }
                Item item = open(sealed);
                message = InboundMessage.from(item.fields());
                handler.accept(item, message);
                done(sealed, message);
            } catch (RuntimeException e) {
                if (sealed != null && StorageFaults.unreachable(e)) {
                    putBack(sealed); // MongoDB went away while handling it: first in line when it returns
                } else if (running && !redis.degraded() && !redis.stopping()) {
                    LOG.log(Level.WARNING, "backlog drainer: " + e.getClass().getName()
                            + (sealed == null ? "; retrying in a second" : "; an item that cannot be handled is dropped"), e);
                    dropQuietly(sealed, message); // the handler answers every other failure itself: this one would fail forever
                }
                pause();
            }
        }
    }

    private void done(String sealed, InboundMessage message) {
        redis.client().eval(DONE, List.of(working, held(message)), List.of(sealed));
    }

    private void dropQuietly(String sealed, InboundMessage message) {
        if (sealed == null) {
            return;
        }
        try {
            if (message == null) {
                redis.client().lrem(working, 1, sealed);
            } else {
                done(sealed, message);
            }
        } catch (RuntimeException e) {
            LOG.fine(() -> "a dropped backlog item stays in this instance's working list: " + e.getClass().getSimpleName());
        }
    }

    private void putBack(String sealed) {
        try {
            redis.client().eval(PUT_BACK, List.of(working, queue), List.of(sealed));
        } catch (RuntimeException e) {
            LOG.warning("a backlog item stays in this instance's working list (" + e.getClass().getSimpleName()
                    + "); it goes back to the queue when this instance restarts");
        }
    }

    private String held(InboundMessage message) {
        return redis.key("wx", "held", message.envelope().openid());
    }

    private Item open(String sealed) {
        try {
            Map<String, Object> map = JSON.readValue(cipher.decrypt(sealed), new TypeReference<>() { });
            @SuppressWarnings("unchecked")
            Map<String, String> fields = (Map<String, String>) map.get("fields");
            return new Item((String) map.get("retryKey"), fields, Boolean.TRUE.equals(map.get("copy")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1000); // Redis is down or failing: try again later, bounded by stop()
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Lets the drainer finish the push in hand (it waits at most a second for the next), then stops it. */
    void stop() {
        running = false;
        if (drainer == null) {
            return;
        }
        try {
            drainer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drainer.interrupt();
    }
}
