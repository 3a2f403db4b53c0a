package cn.shegong.server;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;

import cn.shegong.core.storage.Mongo;
import cn.shegong.server.bench.ChildMongo;
import cn.shegong.server.bench.ChildService;
import cn.shegong.server.bench.Deliveries;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MongoDB stops answering (its process paused with SIGSTOP, as a stalled server or a partition
 * looks) under a service in a JVM of its own: every push is still answered within WeChat's 5
 * seconds, health turns not-ready and back, and when MongoDB answers again every push is stored
 * exactly once, each person's in the order they were sent.
 */
class MongoFaultTest {

    static final String APP_ID = "wxm0ngofau1t000001";
    static final String TOKEN = "mongofault";
    static final int PEOPLE = 6;

    @Test
    void pushesDuringAMongoOutageAreAnsweredKeptAndStoredInOrderAfter(@TempDir Path dir) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("WECHAT_APP_ID", APP_ID, "WECHAT_SECRET", "s", "WECHAT_TOKEN", TOKEN,
                "WECHAT_API_BASE", "http://127.0.0.1:9"));
        List<Long> sent = new ArrayList<>();
        try (ChildMongo mongo = ChildMongo.start(dir.resolve("store"), dir.resolve("mongo.log"));
             HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            env.put("MONGODB_URI", mongo.uri());
            try (ChildService service = ChildService.start("serve", 0, false, env, dir.resolve("service"), dir.resolve("service.log"))) {
                Deliveries wechat = new Deliveries(http, List.of(service.uri()), APP_ID, TOKEN);
                say(wechat, sent, 0, "请问低保要带什么材料");

                mongo.pause();
                say(wechat, sent, 1, "我婆婆八十多了一个人在家"); // before the probe has noticed: held by the driver, then kept
                awaitHealth(http, service, status -> status == 503, "not ready while MongoDB does not answer");
                say(wechat, sent, 2, "同意");
                say(wechat, sent, 3, "施甸县姚关镇山邑村 13800001234 我姓李");
                assertEquals(503, service.health(http), "still not ready");
                mongo.resume();

                awaitHealth(http, service, status -> status == 200, "ready again once MongoDB answers");
                say(wechat, sent, 4, "进度");
                assertEquals(sent.size(), wechat.tally().answered(), "every push answered within 5 s, on WeChat's first try or a retry");
                awaitStored(mongo, sent.size(), dir);
            }
            try (Mongo store = Mongo.open(Optional.of(mongo.uri()), "shegong", dir.resolve("reader"))) {
                for (int person = 0; person < PEOPLE; person++) {
                    int p = person;
                    List<Long> stored = new ArrayList<>();
                    store.database().getCollection("messages").find(Filters.and(Filters.eq("openid", "o-mongo-" + p),
                            Filters.eq("direction", "IN"))).sort(Sorts.ascending("storedAt", "_id"))
                            .forEach(d -> stored.add(d.getLong("msgId")));
                    List<Long> expected = sent.stream().filter(id -> id % 100 == p).toList();
                    assertEquals(expected, stored, "o-mongo-" + p + "'s messages stored once each, in the order sent");
                }
            }
        }
    }

    /** Message {@code n} of every person, all people at once. */
    private static void say(Deliveries wechat, List<Long> sent, int n, String text) throws Exception {
        List<Thread> people = new ArrayList<>();
        for (int p = 0; p < PEOPLE; p++) {
            long msgId = 5_500_000_000L + n * 100L + p;
            sent.add(msgId);
            int person = p;
            people.add(Thread.ofVirtual().start(() -> wechat.deliver("o-mongo-" + person, msgId, text, 0)));
        }
        for (Thread t : people) {
            t.join();
        }
    }

    private static void awaitHealth(HttpClient http, ChildService service, IntPredicate status, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!status.test(service.health(http))) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.sleep(200); // polling another process's health: it has no other signal
        }
    }

    /** The backlog drains once MongoDB answers: polls the store (bounded) until every push is there. */
    private static void awaitStored(ChildMongo mongo, int count, Path dir) throws Exception {
        try (Mongo store = Mongo.open(Optional.of(mongo.uri()), "shegong", dir.resolve("poller"))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (store.database().getCollection("messages").countDocuments(new Document("direction", "IN")) < count) {
                assertTrue(System.nanoTime() < deadline, "every kept push stored within a minute of MongoDB's return");
                Thread.sleep(500);
            }
        }
    }
}
