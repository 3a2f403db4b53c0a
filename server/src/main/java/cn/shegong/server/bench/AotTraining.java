package cn.shegong.server.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import cn.shegong.core.config.ConfigLoader;
import cn.shegong.server.Shegong;

/**
 * {@code ./shegong aot-train}: a training run for the JDK's ahead-of-time cache (JDK 25+, JEP 483
 * and 515). Run under {@code java -XX:AOTCacheOutput=FILE}, it starts the service in this JVM on a
 * throwaway embedded store with a fake WeChat, sends it the bench's realistic mix — a burst, then
 * steady load — and a few console pages, and stops; the JVM then writes the classes it loaded and
 * linked and the methods' profiles to FILE. A service started with {@code -XX:AOTCache=FILE} (same
 * JDK, same jars) begins with them, so a burst right after a start costs less CPU (docs/benchmarks.md).
 * Nothing here is kept but that file.
 */
public final class AotTraining {

    private AotTraining() {
    }

    /**
     * {@code [--data DIR]}: the caller's folder for the throwaway stores (and the triage models, if it
     * has them already); by default a temporary one, deleted afterwards.
     */
    public static int run(List<String> args, PrintStream out) throws Exception {
        if (args.size() == 2 && args.get(0).equals("--data")) {
            return train(Path.of(args.get(1)), out);
        }
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("usage: aot-train [--data DIR]; unknown: " + String.join(" ", args));
        }
        try (Scratch scratch = Scratch.create("shegong-aot-train")) {
            return train(scratch.dir(), out);
        }
    }

    private static int train(Path dir, PrintStream out) throws Exception {
        if (ManagementFactory.getRuntimeMXBean().getInputArguments().stream().noneMatch(a -> a.startsWith("-XX:AOTCacheOutput="))) {
            out.println("no -XX:AOTCacheOutput=FILE given to this JVM: the training runs, but nothing is recorded (./shegong aot-train gives it)");
        }
        try (BenchWeChat wechat = BenchWeChat.start();
             HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            Map<String, String> env = wechat.env();
            env.putAll(Map.of("SHEGONG_DATA_DIR", dir.toString(), "SERVER_HOST", "127.0.0.1", "SERVER_PORT", "0", "ADMIN_PORT", "0"));
            try (Shegong shegong = Shegong.start(ConfigLoader.load(env), Clock.systemDefaultZone())) {
                URI webhook = URI.create("http://127.0.0.1:" + shegong.port());
                Load load = wechat.load(http, webhook, 500, "o-train-");
                List<Load.Result> runs = List.of(load.burst("burst", Mix.realistic(), 200),
                        load.run("steady", Mix.realistic(), 3000, 8), load.run("crowded", Mix.plain(), 1000, 64));
                String admin = "http://127.0.0.1:" + shegong.adminPort();
                for (String page : new String[] {"/", "/console/", "/observe/health", "/observe/metrics"}) {
                    http.send(HttpRequest.newBuilder(URI.create(admin + page)).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.discarding());
                }
                http.send(HttpRequest.newBuilder(URI.create(admin + "/api/login")).timeout(Duration.ofSeconds(5))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"nobody\",\"password\":\"wrong\"}")).build(),
                        HttpResponse.BodyHandlers.discarding());
                out.printf("trained on %d pushes (%d not answered within 5 s) and the console's pages%n",
                        runs.stream().mapToInt(Load.Result::requests).sum(), runs.stream().mapToLong(Load.Result::errors).sum());
                return 0;
            }
        }
    }
}
