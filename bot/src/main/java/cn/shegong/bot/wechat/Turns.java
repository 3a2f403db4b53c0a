package cn.shegong.bot.wechat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

import cn.shegong.core.storage.KeyedLocks;

/**
 * A person's turn: their pushes are handled one at a time. First an in-process lock (waiters
 * park, nothing polls), then the Redis turn for other replicas — always in that order, so two
 * messages of one person can never each hold one and wait for the other (a Redis turn that came
 * with the claim is held without the lock only until a non-blocking try of the lock). Waiting is bounded by
 * {@link #WAIT}; past it the push is handled anyway rather than dropped.
 */
final class Turns {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration RETRY = Duration.ofMillis(50);
    private static final Logger LOG = Logger.getLogger(Turns.class.getName());

    private final KeyedLocks local = new KeyedLocks(4096);
    private final Claims claims;

    Turns(Claims claims) {
        this.claims = claims;
    }

    /**
     * Takes the person's turn (or gives up waiting after {@link #WAIT}); close it when done. A turn
     * that came with the claim is kept only if the in-process lock is free at once and no one waits
     * for it; else it is given back and taken in the usual order, lock first.
     */
    Held take(String openid, Claims.Claim claim) throws InterruptedException {
        if (claim.withTurn()) {
            ReentrantLock lock = local.lockIfFree(openid);
            if (lock != null) {
                return new Held(lock, claim.states());
            }
            claims.freeTurn(claim);
        }
        ReentrantLock lock = local.tryLock(openid, WAIT);
        if (lock == null || !waitForRedisTurn(claim)) {
            LOG.warning("waited " + WAIT.toSeconds() + " s for a person's earlier message; handling this one anyway");
        }
        return new Held(lock, List.of());
    }

    /**
     * A person's turn in hand; {@code states}: their conversation state read with it (empty when
     * it was taken after the claim, and must be read afresh).
     */
    record Held(ReentrantLock lock, List<String> states) implements AutoCloseable {

        @Override
        public void close() {
            if (lock != null) {
                lock.unlock();
            }
        }
    }

    /**
     * Another replica (or a crashed holder's lease) has the person's turn: try again every
     * {@link #RETRY} until {@link #WAIT}. There is no notification across replicas; in one replica
     * the parked local lock means this loop almost never runs.
     */
    private boolean waitForRedisTurn(Claims.Claim claim) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!claims.takeTurn(claim)) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            TimeUnit.NANOSECONDS.sleep(RETRY.toNanos());
        }
        return true;
    }
}
