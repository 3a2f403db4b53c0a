package cn.shegong.server.bench;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Load before the measured rows until the JIT has compiled what they run: rounds at 64
 * connections, each with people of its own who walk the whole mix, until the JIT's compiler
 * threads used less than {@link #COMPILING} of a round's CPU time, for at most {@link #LIMIT}
 * (the whole limit where their time cannot be read). One round of 2,000 first messages used to be the warm-up: the dialogue's paths were
 * still cold, and the first realistic row paid for C2's compiling, a third to half of the one
 * CPU for the first hundred seconds (docs/benchmarks.md).
 */
final class WarmUp {

    private static final int ROUND = 2_000;
    /** C2 was still busy after 100 s of the realistic mix on one CPU. */
    private static final Duration LIMIT = Duration.ofSeconds(150);
    private static final double COMPILING = 0.05;
    private static final int CONNECTIONS = 64;

    private WarmUp() {
    }

    /** Warms {@code target} with {@code mix} (rounds of at most {@code pushes}); returns what it did, for the report. */
    static String run(BenchWeChat wechat, HttpClient http, ChildService target, Mix mix, String prefix, int pushes, int minPeople)
            throws Exception {
        int round = Math.min(ROUND, pushes);
        int people = Math.max(minPeople, round / mix.script().size());
        List<String> costs = new ArrayList<>();
        long end = System.nanoTime() + LIMIT.toNanos();
        for (int i = 1; System.nanoTime() < end; i++) {
            long cpu = target.cpuMillis();
            long jit = target.compilerCpuMillis();
            wechat.load(http, target.uri(), people, prefix + i + "-").run("warm-up", mix, round, CONNECTIONS);
            long used = target.cpuMillis() - cpu;
            long compiling = jit < 0 ? -1 : Math.max(0, target.compilerCpuMillis() - jit);
            double perPush = used / (double) round;
            costs.add(String.format(compiling < 0 ? "%.2f ms" : "%.2f ms (%.0f %% compiling)", perPush, 100.0 * compiling / Math.max(1, used)));
            if (compiling >= 0 && compiling < COMPILING * used) {
                break;
            }
        }
        return String.format("%d rounds of %d pushes (%s) in %.0f s; CPU a push, first round %s, last %s", costs.size(), round, mix.name(),
                (System.nanoTime() - end + LIMIT.toNanos()) / 1e9, costs.getFirst(), costs.getLast());
    }
}
