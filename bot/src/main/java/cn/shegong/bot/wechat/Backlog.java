package cn.shegong.bot.wechat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import cn.shegong.core.storage.FieldCipher;
import cn.shegong.core.storage.Redis;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import redis.clients.jedis.args.ListDirection;

/**
 * Pushes the webhook accepted but could not handle in time: kept in a Redis list (encrypted, in
 * Redis's append-only file) so that WeChat can be answered {@code success} at once, and handled by
 * one drainer in arrival order, the answer following as a customer-service message. An item is
 * moved to a working list while it is handled and removed after, so a crash puts it back at start.
 * The list is bounded: beyond {@link #CAPACITY} a push is refused and WeChat retries it.
 */
final class Backlog {

    static final int CAPACITY = 50_000;
    private static final Logger LOG = Logger.getLogger(Backlog.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PUSH_BOUNDED = """
            if redis.call('llen', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
            return redis.call('rpush', KEYS[1], ARGV[1])""";

    /** What the drainer needs: the push's XML fields and its retry key. */
    record Item(String retryKey, Map<String, String> fields) {
    }

    private final Redis redis;
    private final FieldCipher cipher;
    private final String queue;
    private final String working;
    private volatile boolean running;
    private Thread drainer;

    Backlog(Redis redis, FieldCipher cipher) {
        this.redis = redis;
        this.cipher = cipher;
        this.queue = redis.key("wx", "backlog");
        this.working = redis.key("wx", "backlog", "working");
    }

    /** Keeps the push for later; false when the backlog is full. */
    boolean keep(String retryKey, InboundMessage message) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("retryKey", retryKey);
        item.put("fields", message.xml());
        try {
            String sealed = cipher.encrypt(JSON.writeValueAsString(item));
            // With Redis unreachable there is nowhere to keep it: refused, and WeChat retries it.
            return redis.orElse(() -> ((Long) redis.client().eval(PUSH_BOUNDED, List.of(queue), List.of(sealed, Integer.toString(CAPACITY)))) > 0,
                    () -> false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long size() {
        return redis.client().llen(queue);
    }

    /** Puts back what a crashed drainer was working on, then drains in a virtual thread until {@link #stop}. */
    void start(BiConsumer<Item, InboundMessage> handler) {
        while (redis.client().lmove(working, queue, ListDirection.RIGHT, ListDirection.LEFT) != null) {
            LOG.info("put back a backlog item left from a crash");
        }
        running = true;
        drainer = Thread.ofVirtual().name("shegong-backlog").start(() -> drain(handler));
    }

    private void drain(BiConsumer<Item, InboundMessage> handler) {
        while (running) {
            if (redis.degraded()) {
                pause(); // what is kept stays in Redis until it answers again
                continue;
            }
            try {
                String sealed = redis.client().blmove(queue, working, ListDirection.LEFT, ListDirection.RIGHT, 1.0);
                if (sealed == null) {
                    continue;
                }
                Item item = open(sealed);
                handler.accept(item, InboundMessage.from(item.fields()));
                redis.client().lrem(working, 1, sealed);
            } catch (RuntimeException e) {
                if (running && !redis.degraded()) {
                    LOG.log(Level.WARNING, "backlog drainer: " + e.getClass().getName() + "; retrying in a second", e);
                    pause();
                }
            }
        }
    }

    private Item open(String sealed) {
        try {
            Map<String, Object> map = JSON.readValue(cipher.decrypt(sealed), new TypeReference<>() { });
            @SuppressWarnings("unchecked")
            Map<String, String> fields = (Map<String, String>) map.get("fields");
            return new Item((String) map.get("retryKey"), fields);
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
