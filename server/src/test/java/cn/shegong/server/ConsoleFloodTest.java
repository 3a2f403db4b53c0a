package cn.shegong.server;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import cn.shegong.core.storage.Mongo;
import cn.shegong.core.testing.TestRedis;
import cn.shegong.server.bench.ChildService;
import cn.shegong.server.bench.HealthWatch;
import cn.shegong.server.bench.Load;
import cn.shegong.server.bench.LoginFlood;
import cn.shegong.server.bench.Mix;
import com.mongodb.client.model.Filters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Password guessing at the console of a one-CPU service (its own JVM, as in {@link BurstTest})
 * while people write in: 64 guessers from one address and 64 from a new address each time. The
 * people's pushes are all answered within WeChat's 5 seconds, health answers throughout, a
 * signed-in admin can still use the console, every guess gets a plain refusal (wrong password,
 * locked, or busy — never an error or no answer), and the audit log holds the wrong passwords and
 * the lock and its first refused guess, not every one. (Full-scale figures: {@code ./shegong bench logins}.)
 */
class ConsoleFloodTest {

    static final String APP_ID = "wxflood00000000001";
    static final String TOKEN = "floodtoken";
    static final String PASSWORD = "Correct-Horse-42";
    static final int PUSHES = 400;
    static final int GUESSES = 400;

    @Test
    void guessingAtTheConsoleNeitherDelaysThePeopleWritingInNorFloodsTheAuditLog(@TempDir Path dir) throws Exception {
        Load.Result pushes;
        Map<String, Integer> fromOne;
        Map<String, Integer> fromMany;
        int healthFailures;
        int signedInDuringTheFlood;
        try (TestRedis redis = new TestRedis(); HttpClient http = HttpClient.newHttpClient()) {
            Map<String, String> env = Map.of("WECHAT_APP_ID", APP_ID, "WECHAT_SECRET", "s", "WECHAT_TOKEN", TOKEN,
                    "WECHAT_API_BASE", "http://127.0.0.1:9", "REDIS_URL", TestRedis.URL.toString(), "REDIS_PREFIX", redis.prefix(),
                    "SHEGONG_ADMIN_PASSWORD", PASSWORD);
            try (ChildService service = ChildService.start("serve", 1, false, env, dir.resolve("data"), dir.resolve("service.log"))) {
                ConsoleClient admin = new ConsoleClient(service.adminUri().getPort());
                admin.from = "10.8.8.8";
                assertEquals(200, admin.login("admin", PASSWORD).statusCode());
                HealthWatch health = HealthWatch.start(service, http, Duration.ofMillis(200));
                LoginFlood one = LoginFlood.start(http, service.adminUri(), 64, GUESSES, false);
                LoginFlood many = LoginFlood.start(http, service.adminUri(), 64, GUESSES, true);
                pushes = new Load(http, service.uri(), APP_ID, TOKEN, PUSHES / 4, "o-flood-", openid -> { })
                        .run("pushes during the flood", Mix.plain(), PUSHES, 8);
                signedInDuringTheFlood = admin.get("/api/me").statusCode();
                fromOne = one.stop();
                fromMany = many.stop();
                health.stop();
                healthFailures = health.failed();
            }
            assertEquals(Map.of(), pushes.errorKinds(), "every push answered with a reply or success within 5 s");
            assertEquals(0, healthFailures, "health answered within 2 s throughout");
            assertEquals(200, signedInDuringTheFlood, "the signed-in admin still uses the console");
            assertTrue(Set.of("401", "423", "503").containsAll(fromOne.keySet()), "guesses from one address: " + fromOne);
            assertTrue(Set.of("401", "423", "503").containsAll(fromMany.keySet()), "guesses from many addresses: " + fromMany);
            assertTrue(fromOne.getOrDefault("423", 0) > 2, "guesses from one address meet the lock: " + fromOne);
            try (Mongo mongo = Mongo.open(Optional.empty(), "shegong", dir.resolve("data"))) {
                long audited = mongo.database().getCollection("audit").countDocuments(Filters.eq("from", LoginFlood.ONE_ADDRESS));
                assertTrue(audited <= fromOne.getOrDefault("401", 0) + 3,
                        audited + " audit entries from the guessing address, " + fromOne + ": the wrong passwords, the lock and its first refusal, not each refusal");
            }
        }
    }

}
