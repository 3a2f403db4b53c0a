package cn.shegong.server;

import java.time.Clock;
import java.util.List;

import cn.shegong.admin.ConsoleService;
import cn.shegong.bot.dialogue.Dialogue;
import cn.shegong.bot.wechat.WebhookRejectedException;
import cn.shegong.bot.wechat.WebhookService;
import cn.shegong.core.config.ShegongConfig;
import cn.shegong.core.message.MessageStore;
import cn.shegong.core.resident.ResidentStore;
import cn.shegong.core.storage.Mongo;
import cn.shegong.core.storage.Redis;
import cn.shegong.core.text.Texts;

import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

/**
 * The whole service, wired by hand: stores, texts, the WeChat webhook on the public socket, the
 * console, health and metrics on the admin socket. Closing it stops everything it started.
 */
public final class Shegong implements AutoCloseable {

    static final String ADMIN_SOCKET = "admin";

    private final Mongo mongo;
    private final Redis redis;
    private final MessageStore messages;
    private final ResidentStore residents;
    private final WebServer server;

    private Shegong(ShegongConfig config, Clock clock, Mongo mongo, Redis redis) {
        this.mongo = mongo;
        this.redis = redis;
        this.messages = new MessageStore(mongo.database());
        this.residents = new ResidentStore(mongo.database());
        messages.ensureIndexes();
        residents.ensureIndexes();
        this.server = webServer(config, clock).start();
    }

    public static Shegong start(ShegongConfig config, Clock clock) {
        Redis redis = Redis.open(config.redisUrl(), config.redisPrefix(), config.dataDir());
        Mongo mongo;
        try {
            mongo = Mongo.open(config.mongodbUri(), config.mongodbDatabase(), config.dataDir());
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
        try {
            return new Shegong(config, clock, mongo, redis);
        } catch (RuntimeException e) {
            mongo.close();
            redis.close();
            throw e;
        }
    }

    private WebServer webServer(ShegongConfig config, Clock clock) {
        var texts = new Texts();
        var wechat = config.wechat();
        var webhook = new WebhookService(wechat, redis, messages, residents, new Dialogue(texts), clock,
                Metrics.globalRegistry());
        var console = new ConsoleService(texts, residents, messages);

        return WebServer.builder()
                .host(config.host())
                .port(config.serverPort())
                .featuresDiscoverServices(false)
                .routing(r -> r.register(webhook)
                        .error(WebhookRejectedException.class, webhook::rejected))
                .putSocket(ADMIN_SOCKET, s -> s.host(config.host()).port(config.adminPort()))
                .routing(ADMIN_SOCKET, r -> r.register(console))
                .addFeature(observe())
                .build();
    }

    private ObserveFeature observe() {
        return ObserveFeature.builder()
                .sockets(List.of(ADMIN_SOCKET))
                .addObserver(HealthObserver.builder()
                        .details(true)
                        .addCheck(() -> probe(mongo::ping), HealthCheckType.READINESS, "mongodb")
                        .addCheck(() -> probe(redis::ping), HealthCheckType.READINESS, "redis")
                        .build())
                .addObserver(MetricsObserver.create())
                .build();
    }

    private static HealthCheckResponse probe(Runnable ping) {
        try {
            ping.run();
            return HealthCheckResponse.builder().status(true).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.builder().status(false).detail("error", e.getClass().getSimpleName()).build();
        }
    }

    MessageStore messages() {
        return messages;
    }

    ResidentStore residents() {
        return residents;
    }

    public int port() {
        return server.port();
    }

    public int adminPort() {
        return server.port(ADMIN_SOCKET);
    }

    @Override
    public void close() {
        server.stop();
        mongo.close();
        redis.close();
    }
}
