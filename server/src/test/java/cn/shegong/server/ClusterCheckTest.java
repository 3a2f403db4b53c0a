package cn.shegong.server;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./shegong cluster-check} at a small scale: two service processes on one shared
 * MongoDB-wire store process, one Redis and the fake WeChat; pushes and WeChat's retries spread
 * over both; the token revoked under load; both replicas sweeping the morning's visits; one replica
 * killed with kill -9 mid-load. Counted from the store and the fake's recorded calls.
 */
class ClusterCheckTest {

    static final int RESIDENTS = 40;

    @Test
    void twoReplicasHandleEveryMessageNoticeReminderAndTokenRefreshOnce(@TempDir Path dir) throws Exception {
        ClusterCheck.Report r = ClusterCheck.check(dir, RESIDENTS, line -> System.out.println("cluster-check: " + line));
        r.lines().forEach(System.out::println);
        var wechat = r.wechat();
        var counts = r.counts();
        int messages = RESIDENTS * ClusterCheck.MESSAGES_EACH;
        assertAll(
                () -> assertEquals(messages, wechat.sent()),
                () -> assertEquals(messages, wechat.answered(), "every push answered, on one replica or the other"),
                () -> assertTrue(r.lost().isEmpty(), "answered but not stored: " + r.lost()),
                () -> assertEquals(messages, counts.storedMessages(), "every push stored"),
                () -> assertEquals(0, counts.storedTwice(), "none stored twice"),
                () -> assertTrue(wechat.retries() >= messages / 5, "retries were sent: " + wechat.retries()),
                () -> assertEquals(0, wechat.retriesDiffering(), "every retry answered as the first delivery was"),
                () -> assertEquals(java.util.Map.of(1, RESIDENTS), counts.residentsByCases(),
                        "the day's messages open one request per resident, never two"),
                () -> assertEquals(0, counts.outboxWaiting(), "the surviving replica sent what the killed one left"),
                () -> assertTrue(counts.sentTwice() >= 0 && counts.sentTwice() <= ClusterCheck.IN_FLIGHT_AT_KILL,
                        "sent twice: " + counts.sentTwice()),
                () -> assertTrue(counts.remindersClaimed() > 0, "the morning's visits were due"),
                () -> assertEquals(counts.remindersClaimed(), counts.reminderNotices(), "one reminder queued per due visit"),
                () -> assertEquals(counts.reminderNotices(), counts.remindersSent(), "each reminder sent"),
                () -> assertEquals(1, r.tokenFetchesAfterRevoking(), "one token refresh across both replicas"),
                () -> assertTrue(r.passed()));
    }
}
