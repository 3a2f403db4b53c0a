package cn.shegong.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import cn.shegong.bot.wechat.WxSignature;
import cn.shegong.core.storage.Mongo;
import cn.shegong.fakewechat.Pushes;
import cn.shegong.server.bench.ChildService;
import com.mongodb.client.model.Filters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 in the middle of a stream of pushes, on the embedded defaults: after a restart on the
 * same data folder and WeChat's retries of what went unanswered, every push WeChat got an answer
 * for is stored, every push is stored exactly once, and none is lost.
 */
class CrashTest {

    static final int PUSHES = 120;
    static final String APP_ID = "wxcrash00000000001";
    static final String TOKEN = "crashtoken";
    /** The urgent push's number: its MsgId is none of the stream's. */
    static final int URGENT = 1000;

    final Map<Integer, String> answered = new ConcurrentHashMap<>();

    @Test
    void aCrashLosesNoAnsweredMessageAndRetriesStoreNothingTwice(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of("WECHAT_APP_ID", APP_ID, "WECHAT_SECRET", "s", "WECHAT_TOKEN", TOKEN,
                "WECHAT_API_BASE", "http://127.0.0.1:9");
        Path data = dir.resolve("data");
        Set<Integer> answeredBeforeTheCrash;
        try (HttpClient http = HttpClient.newHttpClient()) {
            ChildService first = ChildService.start("serve", 0, false, env, data, dir.resolve("first.log"));
            CountDownLatch halfway = new CountDownLatch(PUSHES / 2);
            try (ExecutorService senders = Executors.newFixedThreadPool(8)) {
                AtomicInteger next = new AtomicInteger();
                for (int s = 0; s < 8; s++) {
                    senders.submit(() -> {
                        for (int i = next.getAndIncrement(); i < PUSHES; i = next.getAndIncrement()) {
                            if (push(http, first.uri(), i)) {
                                halfway.countDown();
                            }
                        }
                        return null;
                    });
                }
                halfway.await();
                first.kill();
            }
            answeredBeforeTheCrash = Set.copyOf(answered.keySet());
            assertTrue(answeredBeforeTheCrash.size() >= PUSHES / 2 && answeredBeforeTheCrash.size() < PUSHES,
                    "the crash came in the middle: " + answeredBeforeTheCrash.size() + " answered");

            try (first; ChildService second = ChildService.start("serve", 0, false, env, data, dir.resolve("second.log"))) {
                for (int i = 0; i < PUSHES; i++) {
                    if (!answeredBeforeTheCrash.contains(i)) {
                        assertTrue(push(http, second.uri(), i), "WeChat's retry of push " + i + " is answered");
                    }
                }
                for (int i : new ArrayList<>(answeredBeforeTheCrash).subList(0, 5)) {
                    String before = answered.get(i);
                    assertTrue(push(http, second.uri(), i));
                    assertEquals(before, answered.get(i), "a retry after the restart gets the same answer");
                }
            }
        }
        try (Mongo mongo = Mongo.open(Optional.empty(), "shegong", data)) {
            Map<Long, Integer> stored = new HashMap<>();
            mongo.database().getCollection("messages").find(Filters.eq("direction", "IN"))
                    .forEach(d -> stored.merge(d.getLong("msgId"), 1, Integer::sum));
            for (int i : answeredBeforeTheCrash) {
                assertEquals(1, stored.getOrDefault(770_000L + i, 0), "push " + i + " was answered before the crash: stored once");
            }
            assertEquals(PUSHES, stored.size(), "every push stored");
            assertTrue(stored.values().stream().allMatch(n -> n == 1), "none stored twice");
        }
    }

    @Test
    void aCaseNumberAPersonWasToldSurvivesACrashRightAfterTheAnswer(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of("WECHAT_APP_ID", APP_ID, "WECHAT_SECRET", "s", "WECHAT_TOKEN", TOKEN,
                "WECHAT_API_BASE", "http://127.0.0.1:9");
        Path data = dir.resolve("data");
        String told;
        try (HttpClient http = HttpClient.newHttpClient()) {
            try (ChildService service = ChildService.start("serve", 0, false, env, data, dir.resolve("service.log"))) {
                assertTrue(push(http, service.uri(), URGENT, "o-crash-urgent", "我家老人摔倒在地上起不来 家里没有人"));
                service.kill(); // before the store's next commit of its file (every second)
            }
        }
        java.util.regex.Matcher number = java.util.regex.Pattern.compile("BS\\d{8}-\\d{4}").matcher(answered.get(URGENT));
        assertTrue(number.find(), "the answer gives the new request's number: " + answered.get(URGENT));
        told = number.group();
        try (Mongo mongo = Mongo.open(Optional.empty(), "shegong", data)) {
            assertEquals(1, mongo.database().getCollection("cases").countDocuments(Filters.eq("number", told)),
                    "the request " + told + " is there after the restart");
        }
    }

    private boolean push(HttpClient http, URI base, int n) {
        return push(http, base, n, "o-crash-" + (n % 40), "请问低保要带什么材料 " + n);
    }

    /** One push (or WeChat's retry of it: same MsgId, fresh signature); true when answered. */
    private boolean push(HttpClient http, URI base, int n, String openid, String text) {
        long now = System.currentTimeMillis() / 1000;
        String nonce = "c" + n + "-" + System.nanoTime();
        URI uri = URI.create(base + "/wx/portal/" + APP_ID + "?signature=" + WxSignature.sign(TOKEN, Long.toString(now), nonce)
                + "&timestamp=" + now + "&nonce=" + nonce);
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofString(Pushes.text(openid, 1_764_000_000L + n, 770_000L + n, text),
                            StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
            boolean ok = r.statusCode() == 200 && (r.body().startsWith("<xml>") || r.body().equals("success"));
            if (ok) {
                answered.put(n, r.body());
            }
            return ok;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
