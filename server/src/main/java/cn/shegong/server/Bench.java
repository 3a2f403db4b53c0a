package cn.shegong.server;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import cn.shegong.bot.wechat.WxSignature;
import cn.shegong.core.config.ConfigLoader;
import cn.shegong.fakewechat.Pushes;

import io.helidon.webserver.WebServer;

/**
 * {@code ./shegong bench webhook [--requests N] [--concurrency C] [--openids K] [--url BASE]}:
 * posts signed text pushes from K distinct openids at a fixed concurrency and prints messages/s,
 * p50/p99/p99.9 latency and errors; then does the same against a bare Helidon route that returns
 * a fixed XML reply, and prints our throughput as a share of it. Without {@code --url} it starts
 * a fresh instance on the embedded defaults in a temporary folder.
 */
final class Bench {

    record Result(String name, int requests, long errors, double seconds, long[] latenciesNanos) {
        double perSecond() {
            return requests / seconds;
        }

        double percentileMillis(double p) {
            long[] sorted = latenciesNanos.clone();
            Arrays.sort(sorted);
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)] / 1e6;
        }
    }

    private Bench() {
    }

    static int run(List<String> args, PrintStream out) throws Exception {
        Map<String, String> opts = options(args);
        int requests = Integer.parseInt(opts.getOrDefault("--requests", "20000"));
        int concurrency = Integer.parseInt(opts.getOrDefault("--concurrency", "32"));
        int openids = Integer.parseInt(opts.getOrDefault("--openids", "1000"));
        Map<String, String> env = new HashMap<>(Main.demoEnv());
        String appId = env.get("WECHAT_APP_ID");
        String token = env.get("WECHAT_TOKEN");

        Result ours;
        if (opts.containsKey("--url")) {
            ours = load("shegong (" + opts.get("--url") + ")", URI.create(opts.get("--url")), appId, token, requests, concurrency, openids);
        } else {
            Path dir = Files.createTempDirectory("shegong-bench");
            env.put("SHEGONG_DATA_DIR", dir.toString());
            env.put("SERVER_PORT", "0");
            env.put("ADMIN_PORT", "0");
            env.put("SERVER_HOST", "127.0.0.1");
            try (Shegong shegong = Shegong.start(ConfigLoader.load(env), Clock.systemDefaultZone())) {
                ours = load("shegong webhook (embedded MongoDB-wire + Redis)", URI.create("http://127.0.0.1:" + shegong.port()),
                        appId, token, requests, concurrency, openids);
            }
        }
        String fixed = Pushes.text("o-bench", 1, 1, "ok").replace("<MsgId>1</MsgId>", "");
        WebServer bare = WebServer.builder().host("127.0.0.1").port(0).featuresDiscoverServices(false)
                .routing(r -> r.post("/wx/portal/{appid}", (req, res) -> {
                    req.content().consume();
                    res.send(fixed);
                })).build().start();
        Result baseline;
        try {
            baseline = load("bare Helidon route, fixed XML", URI.create("http://127.0.0.1:" + bare.port()), appId, token,
                    requests, concurrency, openids);
        } finally {
            bare.stop();
        }
        out.printf("%d requests, concurrency %d, %d distinct openids, %d cores, Java %s%n%n", requests, concurrency,
                openids, Runtime.getRuntime().availableProcessors(), Runtime.version());
        out.printf("| %-50s | %9s | %8s | %8s | %8s | %6s |%n", "target", "msg/s", "p50 ms", "p99 ms", "p99.9 ms", "errors");
        out.printf("|%s|%s|%s|%s|%s|%s|%n", "-".repeat(52), "-".repeat(11), "-".repeat(10), "-".repeat(10), "-".repeat(10), "-".repeat(8));
        for (Result r : List.of(ours, baseline)) {
            out.printf("| %-50s | %9.0f | %8.2f | %8.2f | %8.2f | %6d |%n", r.name(), r.perSecond(), r.percentileMillis(50),
                    r.percentileMillis(99), r.percentileMillis(99.9), r.errors());
        }
        out.printf("%nshegong throughput = %.1f%% of the bare route%n", 100 * ours.perSecond() / baseline.perSecond());
        return ours.errors() == 0 ? 0 : 1;
    }

    private static Result load(String name, URI base, String appId, String token, int requests, int concurrency,
                               int openids) throws Exception {
        AtomicLong msgIds = new AtomicLong(System.currentTimeMillis() * 1000);
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            run(http, base, appId, token, Math.min(2000, requests), concurrency, openids, msgIds); // warm-up
            long start = System.nanoTime();
            long[] latencies = new long[requests];
            AtomicLong errors = run(http, base, appId, token, requests, concurrency, openids, msgIds, latencies);
            return new Result(name, requests, errors.get(), (System.nanoTime() - start) / 1e9, latencies);
        }
    }

    private static AtomicLong run(HttpClient http, URI base, String appId, String token, int requests, int concurrency,
                                  int openids, AtomicLong msgIds) throws Exception {
        return run(http, base, appId, token, requests, concurrency, openids, msgIds, new long[requests]);
    }

    private static AtomicLong run(HttpClient http, URI base, String appId, String token, int requests, int concurrency,
                                  int openids, AtomicLong msgIds, long[] latencies) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                running.add(workers.submit(() -> {
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        long t0 = System.nanoTime();
                        if (!post(http, base, appId, token, "o-bench-" + (i % openids), msgIds.incrementAndGet())) {
                            errors.incrementAndGet();
                        }
                        latencies[i] = System.nanoTime() - t0;
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        }
        return errors;
    }

    private static boolean post(HttpClient http, URI base, String appId, String token, String openid, long msgId) {
        long now = System.currentTimeMillis() / 1000;
        String timestamp = Long.toString(now);
        String nonce = Long.toString(msgId % 1_000_000_007L);
        URI uri = URI.create(base + "/wx/portal/" + appId + "?signature=" + WxSignature.sign(token, timestamp, nonce)
                + "&timestamp=" + timestamp + "&nonce=" + nonce + "&openid=" + openid);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofString(Pushes.text(openid, now, msgId, "bench: hello, how do I apply for dibao?"),
                            StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().startsWith("<xml>");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException(e));
        }
    }

    private static Map<String, String> options(List<String> args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.size(); i += 2) {
            opts.put(args.get(i), args.get(i + 1));
        }
        return opts;
    }
}
