package cn.shegong.server.bench;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code ./shegong bench logins [--cpus C] [--requests N] [--rows R]}: the webhook while someone
 * guesses passwords at the console. The service runs as in {@link WebhookBench} (its own JVM on C
 * cores, default 1, warmed until the JIT is done); each row sends N pushes of the realistic day
 * at 8 connections, first alone, then while 64 clients at a time send wrong passwords to the
 * console's login (at least 400, as long as the row lasts: {@link LoginFlood}) from one address,
 * then from a new address each time, so no lock cuts the guessing short. Every password check is
 * a bcrypt of about a quarter of a second of CPU; the rows show what that costs the people writing
 * in, and how the guesses were answered. R rounds of the three rows (default 2), interleaved, as
 * this machine's speed drifts.
 */
public final class LoginsBench {

    private static final int CONNECTIONS = 8;
    private static final int GUESSERS = 64;
    private static final int GUESSES = 400;
    private static final int MIN_PEOPLE = 128;

    private enum Guessing { NONE, ONE_ADDRESS, MANY_ADDRESSES }

    private LoginsBench() {
    }

    public static int run(List<String> args, PrintStream out) throws Exception {
        Map<String, String> opts = WebhookBench.options(args);
        opts.keySet().stream().filter(k -> !List.of("--cpus", "--requests", "--rows").contains(k)).findFirst().ifPresent(k -> {
            throw new IllegalArgumentException("unknown argument: " + k);
        });
        int cpus = Integer.parseInt(opts.getOrDefault("--cpus", "1"));
        int requests = Integer.parseInt(opts.getOrDefault("--requests", "5000"));
        int rounds = Integer.parseInt(opts.getOrDefault("--rows", "2"));
        int people = Math.max(MIN_PEOPLE, requests / Mix.realistic().script().size());
        long unanswered = 0;
        try (Scratch scratch = Scratch.create("shegong-logins");
             BenchWeChat wechat = BenchWeChat.start();
             HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
             ChildService shegong = ChildService.start("serve", cpus, true, wechat.env(), scratch.dir().resolve("shegong"),
                     scratch.dir().resolve("shegong.log"))) {
            String warm = WarmUp.run(wechat, http, shegong, Mix.realistic(), "o-warm", requests, MIN_PEOPLE);
            out.printf("service on %d CPU(s), %d pushes of the realistic day a row at %d connections, Java %s; load generator in another JVM%n",
                    cpus, requests, CONNECTIONS, Runtime.version());
            out.printf("warm-up: %s%n%n", warm);
            out.println("| row | guessing at the console | pushes answered in 5 s | msg/s | p50 ms | p99 ms | max ms | CPU a push ms "
                    + "| guesses answered | slowest guess ms | health's slowest |");
            out.println("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |");
            int row = 0;
            for (int round = 0; round < rounds; round++) {
                for (Guessing g : Guessing.values()) {
                    row++;
                    HealthWatch health = HealthWatch.start(shegong, http);
                    LoginFlood flood = g == Guessing.NONE ? null
                            : LoginFlood.start(http, shegong.adminUri(), GUESSERS, GUESSES, g == Guessing.MANY_ADDRESSES);
                    long cpu = shegong.cpuMillis();
                    Load.Result r = wechat.load(http, shegong.uri(), people, "o-row" + row + "-").run("row " + row, Mix.realistic(), requests,
                            CONNECTIONS);
                    long used = shegong.cpuMillis() - cpu;
                    Map<String, Integer> guesses = flood == null ? Map.of() : flood.stop(); // the rest of its 400, if the row was shorter
                    unanswered += r.errors();
                    out.printf("| %d | %s | %d of %d%s | %.0f | %.1f | %.1f | %.0f | %.2f | %s | %s | %s |%n", row, describe(g),
                            requests - r.errors(), requests, r.errors() > 0 ? " " + r.errorKinds() : "", r.perSecond(),
                            r.percentileMillis(50), r.percentileMillis(99), r.percentileMillis(100), used / (double) requests,
                            flood == null ? "—" : guesses.toString(), flood == null ? "—" : Long.toString(flood.slowestMillis()), health.stop());
                }
            }
            if (unanswered > 0) {
                out.println("logs of the service kept in " + scratch.keep());
            }
        }
        return unanswered == 0 ? 0 : 1;
    }

    private static String describe(Guessing g) {
        return switch (g) {
            case NONE -> "none";
            case ONE_ADDRESS -> GUESSERS + " at a time from one address";
            case MANY_ADDRESSES -> GUESSERS + " at a time, each from a new address";
        };
    }
}
