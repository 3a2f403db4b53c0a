package cn.shegong.bot.wechat;

import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import cn.shegong.core.storage.Redis;

/**
 * Every push does its Redis and MongoDB work in one of two lanes, each a fair (first come, first
 * served) semaphore: {@link #HANDLING} pushes claimed and handled, and {@link #KEEPING} more that
 * waited too long for the first lane, claimed and kept in the backlog for later. Each uses at most
 * one Redis connection at a time, so together they stay under {@link Redis#POOL_SIZE} and a burst
 * never drains the pool — a borrow that waits out its bound fails the push. A push waiting for a
 * lane is parked, not runnable: on one CPU the pushes in the lanes are not queued behind hundreds
 * of others for each of their round trips, and the earliest arrivals finish first.
 */
final class Lanes {

    static final int HANDLING = 64;
    /** Redis's pool keeps a quarter beside the lanes: the drainer, liveness, the outbox, the console (LanesTest). */
    static final int KEEPING = 32;

    private final Semaphore handling = new Semaphore(HANDLING, true);
    private final Semaphore keeping = new Semaphore(KEEPING, true);

    /** A place in a lane, given back once: by {@link #close}, unless it was handed to a handling that outlives its push's answer. */
    final class Pass implements AutoCloseable {
        private final Semaphore lane;
        private final AtomicBoolean given = new AtomicBoolean();
        private volatile boolean handed;

        private Pass(Semaphore lane) {
            this.lane = lane;
        }

        /** Whether this push may be handled now (else it is kept). */
        boolean handles() {
            return lane == handling;
        }

        /** The handling gives the place back when it ends ({@link #giveBack}); {@link #close} leaves it. */
        void handOver() {
            handed = true;
        }

        void giveBack() {
            if (given.compareAndSet(false, true)) {
                lane.release();
            }
        }

        @Override
        public void close() {
            if (!handed) {
                giveBack();
            }
        }
    }

    /**
     * A place in the handling lane if one comes free within {@code handlingWaitNanos}, else in the
     * keeping lane if one comes free by {@code untilNanos} ({@link System#nanoTime}); empty if neither.
     */
    Optional<Pass> enter(long handlingWaitNanos, long untilNanos) throws InterruptedException {
        long handlingWait = Math.min(handlingWaitNanos, untilNanos - System.nanoTime());
        if (handling.tryAcquire(Math.max(0, handlingWait), TimeUnit.NANOSECONDS)) {
            return Optional.of(new Pass(handling));
        }
        return keeping(untilNanos);
    }

    /** A place in the keeping lane, if one comes free by {@code untilNanos}: for Redis work beside a handling. */
    Optional<Pass> keeping(long untilNanos) throws InterruptedException {
        if (keeping.tryAcquire(Math.max(0, untilNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            return Optional.of(new Pass(keeping));
        }
        return Optional.empty();
    }

    /** A place in the handling lane, however long it takes: the backlog's drainer. */
    Pass handling() {
        handling.acquireUninterruptibly();
        return new Pass(handling);
    }
}
