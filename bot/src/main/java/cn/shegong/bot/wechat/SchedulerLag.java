package cn.shegong.bot.wechat;

import java.time.Duration;

/**
 * How long a virtual thread woken from outside the scheduler waits for a carrier right now: a
 * probe sleeps {@link #PERIOD} over and over and measures how late it wakes
 * ({@code shegong_scheduler_lag_seconds}). A new connection's thread waits in the same queue —
 * Helidon's listener, a platform thread, starts it there — so under a burst on one CPU this is
 * about how long a push waited before its handler ran, which the handler cannot see. (A push on
 * a connection kept alive is woken by the I/O poller on the carrier and runs ahead of that queue.)
 */
final class SchedulerLag {

    /** Ten wake-ups a second: the lag is measured from when the probe was due, so a longer sleep costs no precision. */
    static final Duration PERIOD = Duration.ofMillis(100);

    /** When the probe is due to wake; 0 before it has started. */
    private volatile long wakeDue;
    private volatile long lastLate;
    private volatile Thread probe;

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
        return due == 0 ? 0 : Math.max(lastLate, System.nanoTime() - due);
    }

    /** One period of sleep, measured; false when interrupted. */
    private boolean asleep() {
        long due = System.nanoTime() + PERIOD.toNanos();
        wakeDue = due;
        try {
            Thread.sleep(PERIOD);
        } catch (InterruptedException e) {
            return false;
        }
        lastLate = Math.max(0, System.nanoTime() - due);
        return true;
    }
}
