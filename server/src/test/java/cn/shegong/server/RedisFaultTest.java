package cn.shegong.server;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import cn.shegong.fakewechat.WeChatPush;
import com.mongodb.client.model.Filters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis paused (SIGSTOP, as a stalled server or a network partition looks) and then killed under
 * the service: every push is still answered within WeChat's 5 seconds, every message is stored
 * exactly once, a conversation begun while Redis was away goes on after it is back, and the
 * service returns to Redis by itself — the embedded redis-server it started is started again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisFaultTest {

    RunningService service;
    final List<String> sent = new ArrayList<>();
    int n;

    @BeforeAll
    void start() {
        service = new RunningService(Clock.systemUTC(), Shegong.Seams.NONE, true);
    }

    @AfterAll
    void stop() {
        signal("-CONT"); // never leave a stopped redis-server behind
        service.close();
    }

    @Test
    void pausedAndKilledRedisLosesNothingAndTheServiceComesBackToIt() throws Exception {
        pushes("before", 6);

        signal("-STOP");
        pushes("paused", 6);
        String resident = "o-fault-intake";
        answered(resident, "同意");
        answered(resident, "我家孩子父母都在外地打工没人管，在腾冲市和顺镇，我叫周梅，13912345678");
        signal("-CONT");
        awaitRedis(true);

        String summary = answered(resident, "1"); // the intake begun while Redis was away goes on
        assertTrue(summary.contains("编号"), "the request made during the pause was completed: " + summary);

        long pidBefore = pid();
        signal("-KILL");
        pushes("killed", 6);
        awaitRedis(true);
        assertTrue(pid() != pidBefore, "a new embedded redis-server was started");
        pushes("after", 6);

        for (String openid : sent) {
            assertEquals(1, service.db.getCollection("messages").countDocuments(Filters.and(Filters.eq("openid", openid),
                    Filters.eq("direction", "IN"))), openid + ": stored exactly once");
        }
        assertEquals(1, service.shegong.cases().forResident(resident).size());
    }

    /** {@code count} residents each ask a policy question; each is answered, on WeChat's first try. */
    private void pushes(String phase, int count) {
        for (int i = 0; i < count; i++) {
            String openid = "o-fault-" + phase + "-" + (n++);
            String reply = answered(openid, "低保要准备哪些材料");
            assertTrue(reply.contains("低保"), phase + ": " + reply);
            sent.add(openid);
        }
    }

    private String answered(String openid, String text) {
        long started = System.nanoTime();
        WeChatPush.Delivery d = service.platform.says(openid, text);
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertTrue(d.ok() && d.attempts() == 1, openid + ": " + d.failure());
        assertTrue(millis < 5_000, openid + " answered after " + millis + " ms");
        return d.replyText().orElse("");
    }

    /** Waits (at most 20 s) until health says Redis answers ({@code up}) again. */
    private void awaitRedis(boolean up) {
        await(() -> service.getAdmin("/observe/health").body().contains("\"degraded\"") != up, Duration.ofSeconds(20),
                "Redis " + (up ? "back" : "degraded") + " in health");
    }

    private static void await(BooleanSupplier condition, Duration limit, String what) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within " + limit.toSeconds() + " s: " + what);
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }

    private long pid() throws IOException {
        return Long.parseLong(Files.readString(service.dataDir.resolve("redis/redis.pid")).strip());
    }

    private void signal(String signal) {
        try {
            Process p = new ProcessBuilder("kill", signal, Long.toString(pid())).inheritIO().start();
            assertEquals(0, p.waitFor(), "kill " + signal);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
