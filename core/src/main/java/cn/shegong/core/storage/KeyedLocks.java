package cn.shegong.core.storage;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * In-process mutual exclusion per key (a person's openid), so that one replica handles one
 * person's messages one at a time without polling Redis: waiters park until the holder is done.
 * A fixed set of fair stripes — two keys may share one, which only serialises them — so memory
 * stays bounded whatever the number of keys.
 */
public final class KeyedLocks {

    private final ReentrantLock[] stripes;

    public KeyedLocks(int stripes) {
        this.stripes = new ReentrantLock[stripes];
        for (int i = 0; i < stripes; i++) {
            this.stripes[i] = new ReentrantLock(true);
        }
    }

    /** The key's lock, taken within {@code wait}; null when the wait ran out. */
    public ReentrantLock tryLock(String key, Duration wait) throws InterruptedException {
        ReentrantLock lock = stripes[Math.floorMod(key.hashCode(), stripes.length)];
        return lock.tryLock(wait.toNanos(), TimeUnit.NANOSECONDS) ? lock : null;
    }

    /**
     * The key's lock if it is free and no one waits for it (fairness kept: a waiter is not
     * overtaken); null otherwise, at once.
     */
    public ReentrantLock lockIfFree(String key) throws InterruptedException {
        return tryLock(key, Duration.ZERO);
    }
}
