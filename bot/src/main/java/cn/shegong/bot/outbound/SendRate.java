package cn.shegong.bot.outbound;

import java.time.Instant;

import cn.shegong.core.storage.Redis;

/**
 * At most {@link #PER_SECOND} sends a second for the whole account, across replicas: a counter per
 * second in Redis (this instance's own count while Redis is unreachable).
 */
final class SendRate {

    static final int PER_SECOND = 20;

    private final Redis redis;
    private final LocalRate local = new LocalRate();

    SendRate(Redis redis) {
        this.redis = redis;
    }

    /** How many more may be sent in the second of {@code now} (another replica may take them first). */
    int room(Instant now) {
        long sent = redis.orElse(() -> {
            String n = redis.client().get(key(now));
            return n == null ? 0L : Long.parseLong(n);
        }, () -> local.add(now.getEpochSecond(), 0));
        return (int) Math.max(0, PER_SECOND - sent);
    }

    /** Counts a send in the second of {@code now}; false when that second's sends are used up. */
    boolean take(Instant now) {
        String key = key(now);
        long n = redis.orElse(() -> {
            long count = redis.client().incr(key);
            if (count == 1) {
                redis.client().expire(key, 2);
            }
            return count;
        }, () -> local.add(now.getEpochSecond(), 1));
        return n <= PER_SECOND;
    }

    private String key(Instant now) {
        return redis.key("wx", "rate", Long.toString(now.getEpochSecond()));
    }

    private static final class LocalRate {
        private long second;
        private long count;

        synchronized long add(long epochSecond, long n) {
            if (epochSecond != second) {
                second = epochSecond;
                count = 0;
            }
            return count += n;
        }
    }
}
