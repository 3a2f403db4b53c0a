package cn.shegong.server;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import cn.shegong.core.storage.Mongo;
import cn.shegong.core.storage.MongoCommands;
import cn.shegong.core.storage.Redis;

import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
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
                        .addCheck(() -> mongoHealth(mongo), HealthCheckType.READINESS, "mongodb")
                        .addCheck(() -> redisHealth(redis), HealthCheckType.READINESS, "redis")
                        .build())
                .addObserver(MetricsObserver.create())
                .build();
    }

    /** Counts every command sent to MongoDB, by command and collection: {@code shegong_mongo_commands_total}. */
    static MongoCommands mongoCommands(MeterRegistry meters) {
        Map<String, Counter> counters = new ConcurrentHashMap<>();
        return new MongoCommands((command, collection) -> counters.computeIfAbsent(command + ' ' + collection, k -> meters.getOrCreate(
                Counter.builder("shegong.mongo.commands")
                        .tags(List.of(Tag.create("command", command), Tag.create("collection", collection)))
                        .description("Commands sent to MongoDB, by command and collection"))).increment());
    }

    /**
     * Counts the documents the embedded store's queries looked at one by one, no index answering
     * them: {@code shegong_embedded_documents_scanned_total} (a real MongoDB has no such count here).
     */
    static void embeddedScans(MeterRegistry meters, Mongo mongo) {
        if (mongo.embeddedDocumentsScanned().isPresent()) {
            meters.getOrCreate(FunctionalCounter.builder("shegong.embedded.documents.scanned", mongo,
                    m -> m.embeddedDocumentsScanned().orElse(0)).description("Documents the embedded store's queries scanned, no index answering them"));
        }
    }

    /**
     * MongoDB unreachable makes the service unready (it still answers WeChat, keeping pushes in the
     * backlog until MongoDB returns). Known from the probe, so health never waits on a stalled server.
     */
    private static HealthCheckResponse mongoHealth(Mongo mongo) {
        return mongo.answers() ? HealthCheckResponse.builder().status(true).build()
                : HealthCheckResponse.builder().status(false).detail("error", "unreachable").build();
    }

    /**
     * Redis unreachable does not make the service unready: it answers in degraded mode (see
     * {@code Redis#orElse}), and taking every replica out of service would silence it. It says so.
     * Known from the client's flag, which the liveness key's refresh every second keeps fresh, so
     * health waits on nothing: under a burst on one CPU each wait is a turn in the virtual threads'
     * queue, and a round trip to Redis here made probes late.
     */
    private static HealthCheckResponse redisHealth(Redis redis) {
        return redis.degraded() ? HealthCheckResponse.builder().status(true).detail("degraded", true).build()
                : HealthCheckResponse.builder().status(true).build();
    }
}
