package cn.shegong.core.storage;

import java.nio.file.Files;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Redis that answers but does not serve — stuck in a script ({@code BUSY}), or loading its
 * append-only file after a restart ({@code LOADING}) — is down for the service: its callers get the
 * fallback (this instance alone keeps claims and turns) instead of an error that fails a person's
 * message, and Redis is used again once it serves.
 */
class RedisUnavailableTest {

    @Test
    void aRedisStuckInAScriptIsDownUntilItServesAgain() throws Exception {
        try (Redis redis = Redis.open(Optional.empty(), "t:", Files.createTempDirectory("shegong-busy-redis"))) {
            redis.client().configSet("lua-time-limit", "50"); // BUSY after 50 ms instead of 5 s
            Thread stuck = Thread.ofVirtual().start(() -> {
                try {
                    redis.client().eval("while true do end", 0);
                } catch (JedisException killed) {
                    // SCRIPT KILL below ends it
                }
            });
            long deadline = System.nanoTime() + 10_000_000_000L;
            String answer = "PONG";
            while (answer.equals("PONG") && System.nanoTime() < deadline) {
                answer = redis.orElse(() -> redis.client().ping(), () -> "fallback"); // PONG until the script has run 50 ms
            }
            assertTrue(answer.equals("fallback"), "a BUSY Redis gets the fallback, not an error");
            assertTrue(redis.degraded());

            redis.client().scriptKill();
            stuck.join(10_000);
            deadline = System.nanoTime() + 10_000_000_000L;
            while (redis.degraded() && System.nanoTime() < deadline) {
                Thread.sleep(50); // the probe runs every second: it has no other signal
            }
            assertFalse(redis.degraded(), "used again once it serves");
        }
    }

    @Test
    void loadingIsUnavailableAndARefusedCommandIsNot() {
        assertTrue(Redis.unavailable(new redis.clients.jedis.exceptions.JedisDataException("LOADING Redis is loading the dataset in memory")));
        assertFalse(Redis.unavailable(new redis.clients.jedis.exceptions.JedisDataException("WRONGTYPE Operation against a key")));
    }
}
