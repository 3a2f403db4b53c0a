package cn.shegong.server.bench;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import cn.shegong.bot.outbound.TemplateBindings;
import cn.shegong.core.text.Texts;
import cn.shegong.core.time.AdjustableClock;
import cn.shegong.fakewechat.FakeWeChat;
import cn.shegong.fakewechat.FakeWeChatServer;

/**
 * {@code ./shegong bench webhook [--cpus C] [--requests N] [--burst B] [--openids K]}: the webhook
 * measured as WeChat would load it. The service runs in a JVM of its own on C cores (default 1,
 * pinned with taskset, {@code -XX:ActiveProcessorCount}), fresh embedded stores, a fake WeChat
 * API; this JVM is the load generator on the other cores. It measures a cold-start burst of B
 * pushes at once (every one must be answered within 5 s; health is polled throughout), then N
 * pushes at 8 and 64 connections with a realistic mix and with a single policy question, then the
 * I/O floor ({@link FloorService}) at 8 and 64 connections in the same run, and prints a table.
 */
public final class WebhookBench {

    private static final String APP_ID = "wxd3m0000000000001";
    private static final String TOKEN = "shegongdemo";

    private WebhookBench() {
    }

    public static int run(List<String> args, PrintStream out) throws Exception {
        Map<String, String> opts = options(args);
        int cpus = Integer.parseInt(opts.getOrDefault("--cpus", "1"));
        int requests = Integer.parseInt(opts.getOrDefault("--requests", "20000"));
        int burst = Integer.parseInt(opts.getOrDefault("--burst", "500"));
        int openids = Integer.parseInt(opts.getOrDefault("--openids", "1000"));
        try (Scratch scratch = Scratch.create("shegong-bench")) {
            List<Load.Result> results;
            try {
                results = measure(scratch.dir(), cpus, requests, burst, openids, out);
            } catch (Exception e) {
                out.println("logs of the service and the floor kept in " + scratch.keep());
                throw e;
            }
            boolean clean = results.stream().allMatch(r -> r.errors() == 0);
            if (!clean) {
                out.println("logs of the service and the floor kept in " + scratch.keep());
            }
            return clean ? 0 : 1;
        }
    }

    private static List<Load.Result> measure(Path dir, int cpus, int requests, int burst, int openids, PrintStream out) throws Exception {
        List<Load.Result> results = new ArrayList<>();
        String health;
        long rss;
        FakeWeChat api = new FakeWeChat(APP_ID, "bench-secret", new AdjustableClock(Clock.systemUTC()));
        new TemplateBindings(new Texts()).templateIds().forEach(api::registerTemplate);
        api.follow("o-bench-duty");
        try (FakeWeChatServer fake = FakeWeChatServer.start("127.0.0.1", 0, api, Optional.empty());
             HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            Map<String, String> env = new HashMap<>(Map.of("WECHAT_APP_ID", APP_ID, "WECHAT_SECRET", "bench-secret",
                    "WECHAT_TOKEN", TOKEN, "WECHAT_API_BASE", fake.uri().toString(), "ONDUTY_OPENIDS", "o-bench-duty"));
            try (ChildService shegong = ChildService.start("serve", cpus, true, env, dir.resolve("shegong"), dir.resolve("shegong.log"))) {
                Load load = new Load(http, shegong.uri(), APP_ID, TOKEN, openids, "o-bench-");
                HealthWatch watch = HealthWatch.start(shegong, http);
                results.add(load.burst("shegong, cold-start burst of " + burst, Mix.realistic(), burst));
                health = watch.stop();
                load.run("warm-up", Mix.realistic(), Math.min(2000, requests), 8);
                for (int c : new int[] {8, 64}) {
                    results.add(load.run("shegong, " + Mix.realistic().name() + ", " + c + " connections", Mix.realistic(), requests, c));
                }
                for (int c : new int[] {8, 64}) {
                    results.add(load.run("shegong, " + Mix.plain().name() + ", " + c + " connections", Mix.plain(), requests, c));
                }
                rss = shegong.rssMiB();
            }
            try (ChildService floor = ChildService.start("bench-floor", cpus, true, env, dir.resolve("floor"), dir.resolve("floor.log"))) {
                Load load = new Load(http, floor.uri(), APP_ID, TOKEN, openids, "o-floor-");
                load.run("warm-up", Mix.plain(), Math.min(2000, requests), 8);
                for (int c : new int[] {8, 64}) {
                    results.add(load.run("I/O floor, " + c + " connections", Mix.plain(), requests, c));
                }
            }
        }
        print(out, results, cpus, requests, openids, health, rss);
        return results;
    }

    private static void print(PrintStream out, List<Load.Result> results, int cpus, int requests, int openids, String health, long rss) {
        out.printf("service on %d CPU(s), %d requests per row, %d openids, Java %s; load generator in another JVM%n%n",
                cpus, requests, openids, Runtime.version());
        out.printf("| %-58s | %7s | %8s | %8s | %8s | %6s |%n", "target", "msg/s", "p50 ms", "p99 ms", "max ms", "errors");
        out.printf("|%s|%s|%s|%s|%s|%s|%n", "-".repeat(60), "-".repeat(9), "-".repeat(10), "-".repeat(10), "-".repeat(10), "-".repeat(8));
        for (Load.Result r : results) {
            out.printf("| %-58s | %7.0f | %8.2f | %8.2f | %8.2f | %6d |%n", r.name(), r.perSecond(), r.percentileMillis(50),
                    r.percentileMillis(99), r.percentileMillis(100), r.errors());
        }
        out.printf("%nhealth during the burst: %s; service RSS after the runs: %d MiB%n", health, rss);
        double floor64 = results.stream().filter(r -> r.name().equals("I/O floor, 64 connections")).findFirst().orElseThrow().perSecond();
        double floor8 = results.stream().filter(r -> r.name().equals("I/O floor, 8 connections")).findFirst().orElseThrow().perSecond();
        for (Load.Result r : results) {
            if (r.name().startsWith("shegong, ") && !r.name().contains("burst")) {
                out.printf("%s: %.2f× the floor%n", r.name(), r.perSecond() / (r.name().endsWith("64 connections") ? floor64 : floor8));
            }
        }
    }

    /** Polls health every half second in the background; reports how many answered and the slowest. */
    private static final class HealthWatch {
        private final AtomicInteger ok = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();
        private final AtomicLong slowest = new AtomicLong();
        private volatile boolean running = true;
        private Thread thread;

        static HealthWatch start(ChildService service, HttpClient http) {
            HealthWatch w = new HealthWatch();
            w.thread = Thread.ofVirtual().start(() -> {
                while (w.running) {
                    long t0 = System.nanoTime();
                    (service.health(http) == 200 ? w.ok : w.failed).incrementAndGet();
                    w.slowest.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
                    try {
                        Thread.sleep(500); // a probe's interval, as a container orchestrator would
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            return w;
        }

        String stop() throws InterruptedException {
            running = false;
            thread.join();
            return ok.get() + " answered, " + failed.get() + " failed, slowest " + slowest.get() + " ms";
        }
    }

    private static Map<String, String> options(List<String> args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            if (!args.get(i).startsWith("--") || i + 1 >= args.size()) {
                throw new IllegalArgumentException("unknown argument: " + args.get(i));
            }
            opts.put(args.get(i), args.get(++i));
        }
        return opts;
    }
}
