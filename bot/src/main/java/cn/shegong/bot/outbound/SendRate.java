package cn.shegong.bot.outbound;

import java.time.Instant;

import cn.shegong.core.storage.Redis;

/**
 * At most {@code perSecond} sends a second for the whole account ({@code WECHAT_SENDS_PER_SECOND},
 * default 20 — a limit of our own: WeChat documents daily quotas, no rate a second), across
 * replicas: a counter per second in Redis (this instance's own count while Redis is unreachable).
 */
final class SendRate {

    private final Redis redis;
    private final int perSecond;
    private final LocalRate local = new LocalRate();

    SendRate(Redis redis, int perSecond) {
        this.redis = redis;
        this.perSecond = perSecond;
    }

    /** How many more may be sent in the second of {@code now} (another replica may take them first). */
    int room(Instant now) {
        long sent = redis.orElse(() -> {
            String n = redis.client().get(key(now));
            return n == null ? 0L : Long.parseLong(n);
        }, () -> local.add(now.getEpochSecond(), 0));
        return (int) Math.max(0, perSecond - sent);
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
        return n <= perSecond;
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
