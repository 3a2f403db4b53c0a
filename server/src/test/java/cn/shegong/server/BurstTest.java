package cn.shegong.server;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import cn.shegong.core.storage.FieldCipher;
import cn.shegong.core.storage.Mongo;
import cn.shegong.core.testing.TestRedis;
import cn.shegong.server.bench.ChildService;
import cn.shegong.server.bench.HealthWatch;
import cn.shegong.server.bench.Load;
import cn.shegong.server.bench.Mix;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.model.Filters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cold-started service in a JVM of its own with one CPU ({@code -XX:ActiveProcessorCount=1},
 * pinned to one core where taskset exists), as in a container with a 1-CPU limit, hit by a burst
 * of pushes released at the same instant: every push is answered within WeChat's 5 seconds (a
 * reply or {@code success}), health answers throughout, and after a graceful stop every push is
 * either stored or waiting in the backlog — none lost, none twice. (The full-scale figures, 500
 * at once, are in docs/benchmarks.md: {@code ./shegong bench webhook}.)
 */
class BurstTest {

    static final int BURST = 150;
    static final String APP_ID = "wxburst00000000001";
    static final String TOKEN = "bursttoken";

    @Test
    void aColdOneCpuServiceAnswersABurstInTimeAndLosesNothing(@TempDir Path dir) throws Exception {
        AtomicInteger answered = new AtomicInteger();
        int healthFailures;
        try (TestRedis redis = new TestRedis(); HttpClient http = HttpClient.newHttpClient()) {
            Map<String, String> env = Map.of("WECHAT_APP_ID", APP_ID, "WECHAT_SECRET", "s", "WECHAT_TOKEN", TOKEN,
                    "WECHAT_API_BASE", "http://127.0.0.1:9", "REDIS_URL", TestRedis.URL.toString(),
                    "REDIS_PREFIX", redis.prefix());
            try (ChildService service = ChildService.start("serve", 1, false, env, dir.resolve("data"), dir.resolve("service.log"))) {
                HealthWatch health = HealthWatch.start(service, http, Duration.ofMillis(200));
                Load.Result burst = new Load(http, service.uri(), APP_ID, TOKEN, BURST, "o-burst-", openid -> { }) // WeChat's API is out of reach here
                        .burst("cold burst", Mix.plain(), BURST);
                answered.set(BURST - (int) burst.errors());
                health.stop();
                healthFailures = health.failed();
            }
            assertEquals(BURST, answered.get(), "every push answered with a reply or success within 5 s");
            assertEquals(0, healthFailures, "health answered within 2 s throughout");

            Set<Long> waiting = waitingInTheBacklog(redis, dir.resolve("data"));
            try (Mongo mongo = Mongo.open(Optional.empty(), "shegong", dir.resolve("data"))) {
                var inbound = mongo.database().getCollection("messages").find(Filters.eq("direction", "IN"));
                List<Long> ids = new ArrayList<>();
                inbound.forEach(d -> ids.add(d.getLong("msgId")));
                assertEquals(ids.size(), ids.stream().distinct().count(), "nothing stored twice");
                Set<Long> kept = new HashSet<>(ids);
                kept.addAll(waiting); // a push answered late is kept there too until its copy is handled
                assertEquals(BURST, kept.size(), ids.size() + " stored and " + waiting.size() + " in the backlog");
            }
        }
    }

    /** The MsgIds of the pushes waiting in the backlog (queued, or in an instance's hands), opened with the service's data key. */
    private static Set<Long> waitingInTheBacklog(TestRedis redis, Path data) throws Exception {
        FieldCipher cipher = FieldCipher.open(Optional.empty(), data);
        List<String> sealed = new ArrayList<>(redis.client().lrange(redis.prefix() + "wx:backlog", 0, -1));
        for (String working : redis.client().keys(redis.prefix() + "wx:backlog:working*")) {
            sealed.addAll(redis.client().lrange(working, 0, -1));
        }
        Set<Long> ids = new HashSet<>();
        for (String item : sealed) {
            JsonNode fields = new ObjectMapper().readTree(cipher.decrypt(item)).get("fields");
            if (fields.hasNonNull("MsgId")) { // the burst sends messages; an event would have none
                ids.add(Long.parseLong(fields.get("MsgId").asText()));
            }
        }
        return ids;
    }

}
