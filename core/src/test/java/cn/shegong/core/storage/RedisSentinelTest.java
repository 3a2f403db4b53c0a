package cn.shegong.core.storage;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import cn.shegong.core.testing.TestRedis;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisSentinel;
import redis.embedded.core.ExecutableProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code REDIS_URL=redis-sentinel://…}: the service asks a real Sentinel (redis-server in sentinel
 * mode, monitoring the test Redis as its primary) where the primary is, and talks to it.
 */
class RedisSentinelTest {

    @Test
    void aSentinelUrlFindsThePrimaryAndWritesThere() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory("sentinel");
        RedisSentinel sentinel = RedisSentinel.newRedisSentinel()
                .executableProvider(ExecutableProvider.newJarResourceProvider(dir.toFile()))
                .bind("127.0.0.1").port(port).masterPort(TestRedis.URL.getPort()).masterName("shegongtest").quorumSize(1)
                .build();
        sentinel.start();
        try (TestRedis test = new TestRedis();
             Redis redis = Redis.open(Optional.of(URI.create("redis-sentinel://127.0.0.1:" + port + "/shegongtest")), test.prefix(), dir)) {
            redis.client().set(redis.key("via-sentinel"), "found");
            assertEquals("found", test.client().get(test.prefix() + "via-sentinel"), "written on the primary the Sentinel named");
        } finally {
            sentinel.stop();
        }
    }
}
