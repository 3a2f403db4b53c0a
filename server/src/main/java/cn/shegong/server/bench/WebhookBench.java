package cn.shegong.server.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;


/**
 * {@code ./shegong bench webhook [--cpus C] [--requests N] [--burst B] [--openids K] [--aot | --aot-cache FILE]}: the webhook
 * measured as WeChat would load it. The service runs in a JVM of its own on C cores (default 1,
 * pinned with taskset, {@code -XX:ActiveProcessorCount}), fresh embedded stores, a fake WeChat
 * API; this JVM is the load generator on the other cores. It measures a cold-start burst of B
 * pushes at once (every one must be answered within 5 s; health is polled throughout), then warms
 * it up until the JIT has done compiling ({@link WarmUp}), then N
 * pushes at 8 and 64 connections with a realistic mix and with a single policy question, then the
 * I/O floor ({@link FloorService}) at 8 and 64 connections in the same run, and prints a table and,
 * for each row the CPU time a push cost the service (or the floor) and the MongoDB commands it sent
 * ({@link MongoCounts}). Each row has its own K people (default N/10, at least 128), each sending
 * the realistic day's ten messages in order; a push the service refused as too fast counts as an
 * error.
 */
public final class WebhookBench {

    private static final String DEFAULT_REQUESTS = "20000";
    /** Twice the most connections a row uses. */
    private static final int MIN_PEOPLE = 128;
    private static final String TOO_FAST = "answered \"too fast\" (over 30 a minute from one openid), not handled";

    private WebhookBench() {
    }

    public static int run(List<String> args, PrintStream out) throws Exception {
        Map<String, String> opts = options(args);
        int requests = Integer.parseInt(opts.getOrDefault("--requests", DEFAULT_REQUESTS));
        Settings settings = new Settings(Integer.parseInt(opts.getOrDefault("--cpus", "1")), requests,
                Integer.parseInt(opts.getOrDefault("--burst", "500")), openids(opts, requests), AotChoice.of(opts));
        try (Scratch scratch = Scratch.create("shegong-bench")) {
            List<Load.Result> results;
            try {
                results = measure(scratch.dir(), settings, out);
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

    /** {@code aot}: whether the service starts with an ahead-of-time cache, trained just before or earlier. */
    private record Settings(int cpus, int requests, int burst, int openids, AotChoice aot) {
    }

    private static List<Load.Result> measure(Path dir, Settings settings, PrintStream out) throws Exception {
        int cpus = settings.cpus();
        int requests = settings.requests();
        int burst = settings.burst();
        int openids = settings.openids();
        List<String> serveOptions = settings.aot().serveOptions(dir, cpus, out);
        List<Load.Result> results = new ArrayList<>();
        var costLines = new ByteArrayOutputStream();
        PrintStream costs = new PrintStream(costLines, true, StandardCharsets.UTF_8);
        String health;
        long rss;
        try (BenchWeChat wechat = BenchWeChat.start();
             HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            Map<String, String> env = wechat.env();
            try (ChildService shegong = ChildService.start("serve", cpus, true, serveOptions, env, dir.resolve("shegong"), dir.resolve("shegong.log"))) {
                HealthWatch watch = HealthWatch.start(shegong, http);
                results.add(wechat.load(http, shegong.uri(), burst, "o-burst-").burst("shegong, cold-start burst of " + burst, Mix.realistic(), burst));
                health = watch.stop();
                costs.println("warm-up of the service: " + WarmUp.run(wechat, http, shegong, Mix.realistic(), "o-warm", requests, MIN_PEOPLE));
                int row = 0;
                for (Mix mix : List.of(Mix.realistic(), Mix.plain())) {
                    for (int c : new int[] {8, 64}) {
                        Load load = wechat.load(http, shegong.uri(), openids, "o-row" + ++row + "-"); // people of its own
                        String metrics = shegong.metrics(http);
                        long cpu = shegong.cpuMillis();
                        Load.Result r = load.run("shegong, " + mix.name() + ", " + c + " connections", mix, requests, c);
                        String after = shegong.metrics(http);
                        long tooFast = tooFast(after) - tooFast(metrics);
                        results.add(tooFast == 0 ? r : r.withError(TOO_FAST, tooFast));
                        costs.printf("%s: %.2f ms of CPU per push; ", r.name(), (shegong.cpuMillis() - cpu) / (double) requests);
                        MongoCounts.parse(after).printPerMessage(costs, MongoCounts.parse(metrics), requests);
                    }
                }
                rss = shegong.rssMiB();
            }
            try (ChildService floor = ChildService.start("bench-floor", cpus, true, env, dir.resolve("floor"), dir.resolve("floor.log"))) {
                costs.println("warm-up of the floor: " + WarmUp.run(wechat, http, floor, Mix.plain(), "o-floor-warm", requests, MIN_PEOPLE));
                for (int c : new int[] {8, 64}) {
                    long cpu = floor.cpuMillis();
                    Load.Result r = wechat.load(http, floor.uri(), openids, "o-floor" + c + "-").run("I/O floor, " + c + " connections", Mix.plain(),
                            requests, c);
                    results.add(r);
                    costs.printf("%s: %.2f ms of CPU per push%n", r.name(), (floor.cpuMillis() - cpu) / (double) requests);
                }
            }
        }
        print(out, results, settings, health, rss);
        out.print(costLines.toString(StandardCharsets.UTF_8));
        return results;
    }

    /** Trains the cache in a JVM set up as the service's will be; returns the file. */
    private static void print(PrintStream out, List<Load.Result> results, Settings s, String health, long rss) {
        out.printf("service on %d CPU(s)%s, %d requests per row, %d people a row, Java %s; load generator in another JVM%n%n",
                s.cpus(), s.aot().any() ? " with an AOT cache" : "", s.requests(), s.openids(), Runtime.version());
        out.printf("| %-58s | %7s | %8s | %8s | %8s | %6s |%n", "target", "msg/s", "p50 ms", "p99 ms", "max ms", "errors");
        out.printf("|%s|%s|%s|%s|%s|%s|%n", "-".repeat(60), "-".repeat(9), "-".repeat(10), "-".repeat(10), "-".repeat(10), "-".repeat(8));
        for (Load.Result r : results) {
            out.printf("| %-58s | %7.0f | %8.2f | %8.2f | %8.2f | %6d |%n", r.name(), r.perSecond(), r.percentileMillis(50),
                    r.percentileMillis(99), r.percentileMillis(100), r.errors());
        }
        results.stream().filter(r -> r.errors() > 0)
                .forEach(r -> out.printf("%nerrors in \"%s\": %s", r.name(), r.errorKinds()));
        out.printf("%nhealth during the burst: %s; service RSS after the runs: %d MiB%n", health, rss);
        double floor64 = results.stream().filter(r -> r.name().equals("I/O floor, 64 connections")).findFirst().orElseThrow().perSecond();
        double floor8 = results.stream().filter(r -> r.name().equals("I/O floor, 8 connections")).findFirst().orElseThrow().perSecond();
        for (Load.Result r : results) {
            if (r.name().startsWith("shegong, ") && !r.name().contains("burst")) {
                out.printf("%s: %.2f× the floor%s%n", r.name(), r.perSecond() / (r.name().endsWith("64 connections") ? floor64 : floor8),
                        r.errors() > 0 ? " (not a figure: the row had errors)" : "");
            }
        }
    }

    /**
     * The people of a row, unless {@code --openids} says otherwise: each row has its own, each
     * sending the realistic day's messages once, in order (or the policy question as many times).
     * Fewer, and they would pass 30 messages a minute, which the service answers "too fast" without
     * handling them; at least {@link #MIN_PEOPLE}, so that no person has two pushes in flight.
     */
    private static int openids(Map<String, String> opts, int requests) {
        int perPerson = Mix.realistic().script().size();
        return Integer.parseInt(opts.getOrDefault("--openids", Integer.toString(Math.max(MIN_PEOPLE, requests / perPerson))));
    }

    /** How many pushes the service refused as too fast so far ({@code shegong_wechat_inbound_total}). */
    private static long tooFast(String metrics) {
        return InboundOutcomes.parse(metrics).getOrDefault("too_fast", 0L);
    }

    /** {@code --name value} pairs, and the flag {@code --aot}. */
    static Map<String, String> options(List<String> args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--aot")) {
                opts.put("--aot", "true");
                continue;
            }
            if (!args.get(i).startsWith("--") || i + 1 >= args.size()) {
                throw new IllegalArgumentException("unknown argument: " + args.get(i));
            }
            opts.put(args.get(i), args.get(++i));
        }
        return opts;
    }
}
