package cn.shegong.server.bench;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./shegong bench burst [--runs R] [--burst B] [--cpus C] [--aot | --aot-cache FILE]}: the
 * cold-start burst alone, R times, each against a service started afresh (new JVM, new embedded
 * stores) on C cores (default 1, pinned as in {@link WebhookBench}), with an ahead-of-time cache if
 * asked ({@link AotChoice}: as the Docker image starts it): B pushes of the realistic day's first
 * messages at once, each on its own connection with WeChat's 5 s. A burst is decided by its slowest pushes, and one
 * run says little about them, so each run is a row: what the load generator saw, and what the
 * service saw — the slowest answer from its handler's start ({@code shegong_wechat_answer_seconds}),
 * so the rest of the slowest push's time was spent before its handler ran — and how the pushes
 * were answered (a reply, {@code success} with the reply sent later, or kept for later), and when
 * the last person answered {@code success} had the answer itself, as a customer-service message.
 */
public final class BurstBench {

    private static final Pattern ANSWER_MAX = Pattern.compile("^shegong_wechat_answer_seconds_max(?:\\{[^}]*})?\\s+([0-9.eE+-]+)",
            Pattern.MULTILINE);

    /** How long the people answered {@code success} are waited for: their answers follow through the outbox, at its pace. */
    private static final Duration EVERYONE_WAIT = Duration.ofSeconds(120);

    private BurstBench() {
    }

    public static int run(List<String> args, PrintStream out) throws Exception {
        Map<String, String> opts = WebhookBench.options(args);
        opts.keySet().stream().filter(k -> !List.of("--runs", "--burst", "--cpus", "--aot", "--aot-cache").contains(k)).findFirst().ifPresent(k -> {
            throw new IllegalArgumentException("unknown argument: " + k);
        });
        int runs = Integer.parseInt(opts.getOrDefault("--runs", "5"));
        int burst = Integer.parseInt(opts.getOrDefault("--burst", "500"));
        int cpus = Integer.parseInt(opts.getOrDefault("--cpus", "1"));
        AotChoice aot = AotChoice.of(opts);
        out.printf("cold-start burst of %d on %d CPU(s)%s, %d runs, Java %s; load generator in another JVM%n%n", burst, cpus,
                aot.any() ? " with an AOT cache" : "", runs, Runtime.version());
        StringBuilder errors = new StringBuilder();
        int unanswered = 0;
        try (Scratch scratch = Scratch.create("shegong-burst");
             BenchWeChat wechat = BenchWeChat.start();
             HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            List<String> serveOptions = aot.serveOptions(scratch.dir(), cpus, out);
            out.printf("| run | answered in 5 s | p50 ms | p99 ms | max ms | service's slowest answer ms | outcomes | health "
                    + "| everyone has the answer after |%n");
            out.printf("| ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |%n");
            for (int run = 1; run <= runs; run++) {
                try (ChildService shegong = ChildService.start("serve", cpus, true, serveOptions, wechat.env(), scratch.dir().resolve("run" + run),
                        scratch.dir().resolve("run" + run + ".log"))) {
                    HealthWatch watch = HealthWatch.start(shegong, http);
                    Load load = wechat.load(http, shegong.uri(), burst, "o-burst" + run + "-");
                    long start = System.nanoTime();
                    Load.Result r = load.burst("burst " + run, Mix.realistic(), burst);
                    String health = watch.stop();
                    List<String> later = load.notRepliedInline();
                    String everyone = wechat.awaitAnswers(later, EVERYONE_WAIT)
                            ? String.format("%.1f s (%d sent later)", (System.nanoTime() - start) / 1e9, later.size())
                            : "not within " + EVERYONE_WAIT.toSeconds() + " s";
                    String metrics = shegong.metrics(http);
                    unanswered += (int) r.errors();
                    if (r.errors() > 0) {
                        errors.append(String.format("errors in run %d: %s%n", run, r.errorKinds()));
                    }
                    out.printf("| %d | %d of %d | %.0f | %.0f | %.0f | %.0f | %s | %s | %s |%n", run, burst - r.errors(), burst,
                            r.percentileMillis(50), r.percentileMillis(99), r.percentileMillis(100), answerMaxMillis(metrics), outcomes(metrics),
                            health, everyone);
                }
            }
            out.print(errors);
            if (unanswered > 0) {
                out.println("logs of the services kept in " + scratch.keep());
            }
        }
        return unanswered == 0 ? 0 : 1;
    }

    private static double answerMaxMillis(String metrics) {
        Matcher m = ANSWER_MAX.matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) * 1000 : Double.NaN;
    }

    /** The pushes' outcomes as the service counted them ({@code shegong_wechat_inbound_total}). */
    private static String outcomes(String metrics) {
        StringBuilder s = new StringBuilder();
        InboundOutcomes.parse(metrics).forEach((outcome, n) -> s.append(s.isEmpty() ? "" : ", ").append(outcome).append(' ').append(n));
        return s.toString();
    }
}
