package cn.shegong.bot.wechat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;

/** Counts every webhook push by outcome, so refused and failed input is visible at /observe/metrics. */
final class WebhookMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void count(String outcome) {
        counters.computeIfAbsent(outcome, o -> registry.getOrCreate(
                Counter.builder("shegong.wechat.inbound").tags(List.of(Tag.create("outcome", o)))
                        .description("WeChat pushes received, by outcome"))).increment();
    }
}
