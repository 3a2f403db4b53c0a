package cn.shegong.server;

import java.util.List;

import cn.shegong.core.storage.Mongo;
import cn.shegong.core.storage.Redis;

import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

/** Health and metrics, on the admin socket only: MongoDB must answer to be ready; Redis may be degraded. */
final class Observe {

    private Observe() {
    }

    static ObserveFeature feature(String socket, Mongo mongo, Redis redis) {
        return ObserveFeature.builder()
                .sockets(List.of(socket))
                .addObserver(HealthObserver.builder()
                        .details(true)
                        .addCheck(() -> probe(mongo::ping), HealthCheckType.READINESS, "mongodb")
                        .addCheck(() -> redisHealth(redis), HealthCheckType.READINESS, "redis")
                        .build())
                .addObserver(MetricsObserver.create())
                .build();
    }

    /**
     * Redis unreachable does not make the service unready: it answers in degraded mode (see
     * {@code Redis#orElse}), and taking every replica out of service would silence it. It says so.
     */
    private static HealthCheckResponse redisHealth(Redis redis) {
        if (!redis.degraded()) {
            HealthCheckResponse ping = probe(redis::ping);
            if (ping.status() == HealthCheckResponse.Status.UP) {
                return ping;
            }
        }
        return HealthCheckResponse.builder().status(true).detail("degraded", true).build();
    }

    private static HealthCheckResponse probe(Runnable ping) {
        try {
            ping.run();
            return HealthCheckResponse.builder().status(true).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.builder().status(false).detail("error", e.getClass().getSimpleName()).build();
        }
    }
}
