package cn.shegong.bot.wechat;

import java.util.Optional;

import cn.shegong.core.storage.Redis;
import redis.clients.jedis.params.SetParams;

/**
 * Recognises WeChat's retries across all replicas. The first delivery claims the push's key
 * (SET NX); when it is handled the key holds the answer, so every retry gets the same answer.
 * A retry that arrives while the first is still being handled gets {@code success}: the first
 * delivery's reply, or a later customer-service message, reaches the user.
 */
final class Dedup {

    /** WeChat retries at about 5, 10 and 15 s; keep keys well past that. */
    private static final long TTL_SECONDS = 300;
    private static final String PENDING = "";

    private final Redis redis;

    Dedup(Redis redis) {
        this.redis = redis;
    }

    /** Empty when this delivery is the first; else the earlier answer ({@code success} while pending). */
    Optional<String> claim(String dedupKey) {
        String key = key(dedupKey);
        String set = redis.client().set(key, PENDING, SetParams.setParams().nx().ex(TTL_SECONDS));
        if ("OK".equals(set)) {
            return Optional.empty();
        }
        String earlier = redis.client().get(key);
        return Optional.of(earlier == null || earlier.isEmpty() ? PassiveReply.SUCCESS : earlier);
    }

    void complete(String dedupKey, String answer) {
        redis.client().set(key(dedupKey), answer, SetParams.setParams().xx().ex(TTL_SECONDS));
    }

    /** Forgets a claim whose handling failed, so a retry is handled afresh. */
    void release(String dedupKey) {
        redis.client().del(key(dedupKey));
    }

    private String key(String dedupKey) {
        return redis.key("wx", "dedup", dedupKey);
    }
}
