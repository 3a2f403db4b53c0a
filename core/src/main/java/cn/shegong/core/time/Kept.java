package cn.shegong.core.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A figure that is expensive to read and fine a little old (a dashboard's): read once for a key
 * (a quarter, a day), then kept; once older than {@code fresh}, the next caller still gets it at
 * once and one background read — never two at a time — replaces it. A new key is read at once.
 */
public final class Kept<K, V> implements AutoCloseable {

    /** A value and when it was read. */
    public record Value<V>(V value, Instant at) {
    }

    private record Entry<K, V>(K key, Value<V> value) {
    }

    private static final Logger LOG = Logger.getLogger(Kept.class.getName());

    private final Duration fresh;
    private final Clock clock;
    private final String name;
    private final Function<K, V> read;
    private final AtomicBoolean reading = new AtomicBoolean();
    private final ExecutorService background;
    private final java.util.concurrent.atomic.AtomicReference<Entry<K, V>> entry = new java.util.concurrent.atomic.AtomicReference<>();

    public Kept(Duration fresh, Clock clock, String name, Function<K, V> read) {
        this.fresh = fresh;
        this.clock = clock;
        this.name = name;
        this.read = read;
        this.background = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("shegong-kept-" + name).factory());
    }

    public Value<V> get(K key) {
        Entry<K, V> e = entry.get();
        if (e == null || !e.key().equals(key)) {
            Entry<K, V> first = new Entry<>(key, new Value<>(read.apply(key), clock.instant()));
            entry.set(first);
            return first.value();
        }
        Entry<K, V> seen = e;
        if (e.value().at().plus(fresh).isBefore(clock.instant()) && reading.compareAndSet(false, true)) {
            background.execute(() -> {
                try {
                    // only over what it refreshes: a newer key read meanwhile is never replaced by an older one
                    entry.compareAndSet(seen, new Entry<>(key, new Value<>(read.apply(key), clock.instant())));
                } catch (RuntimeException ex) {
                    LOG.log(Level.WARNING, name + " read failed: " + ex.getClass().getName(), ex);
                } finally {
                    reading.set(false);
                }
            });
        }
        return e.value();
    }

    @Override
    public void close() {
        background.shutdownNow();
    }
}
