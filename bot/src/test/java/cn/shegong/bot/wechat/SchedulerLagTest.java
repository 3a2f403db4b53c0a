package cn.shegong.bot.wechat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lag is how an operator sees a new connection waiting for the CPU
 * ({@code shegong_scheduler_lag_seconds}), so it must show when every carrier is busy, and fall
 * again when they are free.
 */
class SchedulerLagTest {

    private static final Duration SHOWN = Duration.ofMillis(200);
    private static final Duration CALM = Duration.ofMillis(50);
    private static final Duration BOUND = Duration.ofSeconds(10);

    @Test
    void showsWhileEveryCarrierIsBusyAndFallsWhenTheyAreFree() throws Exception {
        SchedulerLag lag = new SchedulerLag();
        lag.start();
        try {
            assertTrue(settled(lag) < CALM.toNanos(), "an idle scheduler has next to no lag");

            // Virtual threads that never block hold every carrier, as a burst's handlers do on one
            // CPU, until the probe they keep from running is seen to be late (or the bound passes).
            AtomicLong seen = new AtomicLong();
            List<Thread> hogs = new ArrayList<>();
            long until = System.nanoTime() + BOUND.toNanos();
            for (int i = 0; i < Runtime.getRuntime().availableProcessors() * 2; i++) {
                hogs.add(Thread.ofVirtual().start(() -> {
                    long l;
                    while ((l = lag.nanos()) < SHOWN.toNanos() && System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                    seen.accumulateAndGet(l, Math::max);
                }));
            }
            for (Thread t : hogs) {
                t.join();
            }
            assertTrue(seen.get() >= SHOWN.toNanos(), "lag seen while the carriers were busy: " + seen.get() / 1_000_000 + " ms");

            long after = settled(lag);
            assertTrue(after < CALM.toNanos(), "the lag falls once the carriers are free: " + after / 1_000_000 + " ms");
        } finally {
            lag.stop();
        }
    }

    /** The lag once it is under {@link #CALM}, or after {@link #BOUND}: looked at every probe period. */
    private static long settled(SchedulerLag lag) throws InterruptedException {
        long until = System.nanoTime() + BOUND.toNanos();
        while (lag.nanos() >= CALM.toNanos() && System.nanoTime() < until) {
            Thread.sleep(SchedulerLag.PERIOD);
        }
        return lag.nanos();
    }
}
