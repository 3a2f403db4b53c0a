package cn.shegong.core.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded redis-server lives and dies with the service that started it. */
class EmbeddedRedisTest {

    @Test
    void aClosedServiceLeavesNoRedisServerBehindEvenIfAskedToRestartIt() throws Exception {
        Path dir = Files.createTempDirectory("shegong-embedded-redis");
        Redis redis = Redis.open(Optional.empty(), "t:", dir);
        long pid = redis.embeddedPid().orElseThrow();
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        redis.close();
        ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());

        redis.restartIfDead(); // as a probe still running during shutdown did
        Optional<ProcessHandle> after = redis.embeddedPid().flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        after.ifPresent(ProcessHandle::destroyForcibly);
        assertFalse(after.isPresent(), "a redis-server was started after the service closed");
    }
}
