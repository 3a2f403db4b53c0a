package cn.shegong.bot.outbound;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

import cn.shegong.core.storage.Redis;
import cn.shegong.core.storage.RedisLock;
import me.chanjar.weixin.common.redis.WxRedisOps;

/**
 * WxJava's token storage on Jedis 8 (WxJava's own adapter only runs on Jedis 3): the access token
 * lives in Redis so every replica uses the same one, and refreshing it takes a Redis lock.
 */
final class RedisWxOps implements WxRedisOps {

    private final Redis redis;

    RedisWxOps(Redis redis) {
        this.redis = redis;
    }

    @Override
    public String getValue(String key) {
        return redis.client().get(key);
    }

    @Override
    public void setValue(String key, String value, int expire, TimeUnit unit) {
        if (expire > 0) {
            redis.client().psetex(key, unit.toMillis(expire), value);
        } else {
            redis.client().set(key, value);
        }
    }

    @Override
    public Long getExpire(String key) {
        return redis.client().ttl(key);
    }

    @Override
    public void expire(String key, int expire, TimeUnit unit) {
        redis.client().pexpire(key, unit.toMillis(expire));
    }

    @Override
    public Lock getLock(String key) {
        return new RedisLock(redis, key, Duration.ofSeconds(10));
    }
}
