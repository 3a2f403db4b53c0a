package cn.shegong.bot.wechat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

/**
 * Counts every webhook push by outcome, so refused and failed input is visible at /observe/metrics,
 * and times the answers.
 */
final class WebhookMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer answers;

    WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.answers = registry.getOrCreate(Timer.builder("shegong.wechat.answer")
                .description("From a push's handler starting to its answer being ready; WeChat waits 5 s from sending it"));
    }

    /** The virtual threads' scheduler lag, in seconds: {@code shegong_scheduler_lag_seconds}. */
    void watch(SchedulerLag lag) {
        registry.getOrCreate(Gauge.builder("shegong.scheduler.lag.seconds", lag, l -> l.nanos() / 1e9)
                .description("How late a virtual thread woken from outside the scheduler gets the CPU, as a new connection is"));
    }

    /** A push was answered {@code took} after its handler started (refusals included). */
    void answered(Duration took) {
        answers.record(took);
    }

    void count(String outcome) {
        counters.computeIfAbsent(outcome, o -> registry.getOrCreate(
                Counter.builder("shegong.wechat.inbound").tags(List.of(Tag.create("outcome", o)))
                        .description("WeChat pushes received, by outcome"))).increment();
    }
}
