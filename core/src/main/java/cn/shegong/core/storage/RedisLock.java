package cn.shegong.core.storage;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

import redis.clients.jedis.params.SetParams;

/**
 * A lease lock: {@code SET key token NX PX}, released by a compare-and-delete script so that a
 * holder whose lease ran out cannot release someone else's lock. The token is per thread.
 */
public final class RedisLock implements Lock {

    private static final long POLL_MILLIS = 20;
    private static final String RELEASE =
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

    private final Redis redis;
    private final String key;
    private final long leaseMillis;
    private final ThreadLocal<String> token = new ThreadLocal<>();

    /** {@code key} is the full Redis key; {@code lease} bounds how long a crashed holder can block others. */
    public RedisLock(Redis redis, String key, Duration lease) {
        this.redis = redis;
        this.key = key;
        this.leaseMillis = lease.toMillis();
    }

    @Override
    public boolean tryLock() {
        String mine = UUID.randomUUID().toString();
        if ("OK".equals(redis.client().set(key, mine, SetParams.setParams().nx().px(leaseMillis)))) {
            token.set(mine);
            return true;
        }
        return false;
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(time);
        while (!tryLock()) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(POLL_MILLIS); // waiting for another replica's lease; no notification exists across replicas
        }
        return true;
    }

    @Override
    public void lock() {
        try {
            lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + key, e);
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        while (!tryLock(1, TimeUnit.MINUTES)) {
            // keep waiting: the holder's lease expires on its own
        }
    }

    @Override
    public void unlock() {
        String mine = token.get();
        if (mine != null) {
            redis.client().eval(RELEASE, List.of(key), List.of(mine));
            token.remove();
        }
    }

    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("a Redis lock has no conditions");
    }
}
