package cn.shegong.server;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./shegong fault-check} at a small scale: residents writing steadily to two replicas while
 * MongoDB is paused, Redis is paused, Redis is killed and started again, and one replica is killed
 * with kill -9 and started again. Nothing answered is lost, nothing is stored twice, every push
 * is answered, and the surviving replica's health answers throughout.
 */
class FaultCheckTest {

    @Test
    void theFaultsAnOperatorIsWokenForLoseNothingAndDuplicateNothing(@TempDir Path dir) throws Exception {
        FaultCheck.Report r = FaultCheck.check(dir, 20, Duration.ofSeconds(8), line -> System.out.println("fault-check: " + line));
        r.lines().forEach(System.out::println);
        assertAll(
                () -> assertTrue(r.wechat().sent() >= 20 * 10, "the load ran throughout: " + r.wechat().sent()),
                () -> assertEquals(r.wechat().sent(), r.wechat().answered(), "every push answered within 5 s, on a try or a retry"),
                () -> assertTrue(r.lost().isEmpty(), "answered but not stored: " + r.lost()),
                () -> assertEquals(r.wechat().answered(), r.stored(), "every answered push stored"),
                () -> assertEquals(0, r.storedTwice(), "none stored twice"),
                () -> assertTrue(r.healthChecks() > 20, "health was asked throughout"),
                () -> assertEquals(java.util.List.of(), r.healthUnanswered(), "health answered within 2 s throughout"),
                () -> assertTrue(r.passed()));
    }
}
