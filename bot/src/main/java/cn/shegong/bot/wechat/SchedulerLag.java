package cn.shegong.bot.wechat;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How long a virtual thread that is ready to run waits for a carrier right now: a probe sleeps
 * {@link #PERIOD} over and over and measures how late it wakes. A push's handler cannot see when
 * the push arrived — Helidon reads it on a virtual thread of its own, which waits in the same
 * queue — so under a burst on one CPU the handler may start seconds after WeChat sent it; this lag
 * is the estimate of that wait ({@link Inbox} takes it off the push's budget).
 */
final class SchedulerLag {

    static final Duration PERIOD = Duration.ofMillis(20);

    private final LongSupplier nanoTime;
    /** When the probe is due to wake; 0 before it has started. */
    private volatile long wakeDue;
    private volatile long lastLate;
    private volatile Thread probe;

    SchedulerLag(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    void start() {
        probe = Thread.ofVirtual().name("shegong-scheduler-lag").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                if (!asleep()) {
                    return;
                }
            }
        });
    }

    void stop() {
        Thread t = probe;
        if (t != null) {
            t.interrupt();
        }
    }

    /** The lag now: how late the probe woke last time, or how overdue it is already if more. */
    long nanos() {
        long due = wakeDue;
        return due == 0 ? 0 : Math.max(lastLate, nanoTime.getAsLong() - due);
    }

    /** One period of sleep, measured; false when interrupted. */
    boolean asleep() {
        long due = nanoTime.getAsLong() + PERIOD.toNanos();
        wakeDue = due;
        try {
            Thread.sleep(PERIOD);
        } catch (InterruptedException e) {
            return false;
        }
        lastLate = Math.max(0, nanoTime.getAsLong() - due);
        return true;
    }
}
