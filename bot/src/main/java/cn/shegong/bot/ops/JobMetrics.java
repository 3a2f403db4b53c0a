package cn.shegong.bot.ops;

import java.time.Duration;
import java.util.List;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

/** What the background sweeps did, for /observe/metrics: how long each run took, and the deadlines found breached. */
public final class JobMetrics {

    private JobMetrics() {
    }

    /** One run of the sweep {@code job} ({@code case} or {@code visit}) took {@code took}. */
    public static void ran(String job, Duration took) {
        Metrics.globalRegistry().getOrCreate(Timer.builder("shegong.sweep.duration").tags(List.of(Tag.create("sweep", job)))
                .description("How long one run of a background sweep took")).record(took);
    }

    /** {@code n} deadlines of requests were found breached (each counted once, whichever replica found it). */
    public static void breached(int n) {
        if (n > 0) {
            Metrics.globalRegistry().getOrCreate(Counter.builder("shegong.deadline.breaches")
                    .description("Deadlines of requests breached (assign, accept, first contact, close)")).increment(n);
        }
    }
}
