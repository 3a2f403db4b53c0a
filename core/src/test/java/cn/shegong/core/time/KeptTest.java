package cn.shegong.core.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A kept figure: read once per key, served while fresh, then served stale while one background read replaces it. */
class KeptTest {

    @Test
    void readOncePerKeyThenRefreshedInTheBackgroundWhenOld() throws Exception {
        // a fixed base: the wall clock stepping during the test (a machine's time being synchronised) must not age the figure
        AdjustableClock clock = new AdjustableClock(Clock.fixed(Instant.parse("2026-12-01T08:00:00Z"), ZoneOffset.UTC));
        AtomicInteger reads = new AtomicInteger();
        CountDownLatch secondRead = new CountDownLatch(2);
        try (Kept<String, Integer> kept = new Kept<>(Duration.ofMinutes(5), clock, "test", key -> {
            int n = reads.incrementAndGet();
            secondRead.countDown();
            return n;
        })) {
            assertEquals(1, kept.get("q4").value(), "the first caller waits for the read");
            assertEquals(1, kept.get("q4").value(), "fresh: no read");
            assertEquals(1, reads.get());
            clock.advance(Duration.ofMinutes(6));
            assertEquals(1, kept.get("q4").value(), "old: still answered at once with what there is");
            assertTrue(secondRead.await(10, TimeUnit.SECONDS), "and one read in the background replaces it");
            // the background read may still be storing its value: a later caller sees it
            int seen = kept.get("q4").value();
            assertTrue(seen == 1 || seen == 2);
            assertEquals(3, kept.get("q1").value(), "another key is read at once");
        }
    }
}
