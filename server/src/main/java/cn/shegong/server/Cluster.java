package cn.shegong.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import cn.shegong.core.config.ConfigLoader;
import cn.shegong.core.config.ShegongConfig;
import cn.shegong.core.storage.Mongo;
import cn.shegong.core.storage.Redis;
import cn.shegong.core.time.AdjustableClock;
import cn.shegong.fakewechat.FakeWeChat;
import cn.shegong.fakewechat.FakeWeChatServer;
import cn.shegong.server.bench.ChildMongo;
import cn.shegong.server.bench.ChildService;

/**
 * Several service processes as a province would run them, on one machine: one shared
 * MongoDB-wire store ({@code ./shegong mongo} in a JVM of its own), one Redis (an embedded
 * redis-server this check owns), the fake WeChat in this JVM, and N replicas of {@code serve},
 * each in its own JVM with its own data folder but the same data key. The store is seeded with the
 * demo's city first (stations, workers with bound phones, households with visits due), and every
 * process runs on the same clock, moved to 09:30 in Baoshan so the reminder sweeps are not held by
 * the quiet hours.
 */
final class Cluster implements AutoCloseable {

    static final String APP_ID = "wxc1u57e0000000001";
    static final String TOKEN = "clustercheck";
    /** The replicas' keys in the shared Redis (the check's own client uses another prefix). */
    static final String REPLICAS_REDIS_PREFIX = "shegong:";
    private static final ZoneId BAOSHAN = ZoneId.of("Asia/Shanghai");

    private final Path dir;
    private final ChildMongo mongo;
    private final Redis redis;
    private final FakeWeChatServer fake;
    private final FakeWeChat api;
    private final Map<String, String> env;
    private final Clock clock;
    private final List<ChildService> replicas = new ArrayList<>();

    private Cluster(Path dir, ChildMongo mongo, Redis redis, FakeWeChatServer fake, FakeWeChat api, Map<String, String> env,
                    Clock clock) {
        this.dir = dir;
        this.mongo = mongo;
        this.redis = redis;
        this.fake = fake;
        this.api = api;
        this.env = env;
        this.clock = clock;
    }

    /**
     * Seeds the store in this JVM (the embedded store, written to its file: many times faster than
     * over the wire), then serves that file to the replicas, starts the fake and {@code replicas} services.
     */
    static Cluster start(Path dir, int replicas) throws Exception {
        Duration shift = toNextMorning(Clock.systemUTC());
        AdjustableClock clock = new AdjustableClock(Clock.offset(Clock.systemDefaultZone(), shift));
        Redis redis = Redis.open(Optional.empty(), "cluster:", dir.resolve("redis-owner"));
        Map<String, String> env = new HashMap<>(Map.of("WECHAT_APP_ID", APP_ID, "WECHAT_SECRET", "cluster-secret",
                "WECHAT_TOKEN", TOKEN, "REDIS_URL", redis.uri().toString(), "REDIS_PREFIX", REPLICAS_REDIS_PREFIX,
                "SHEGONG_DATA_KEY", newDataKey(), "ONDUTY_OPENIDS", Demo.DUTY_WORKER, ClusterCheck.CLOCK_SHIFT, shift.toString()));
        Map<String, String> seedEnv = new HashMap<>(env);
        seedEnv.putAll(Map.of("SHEGONG_DATA_DIR", dir.resolve("store").toString(), "SERVER_HOST", "127.0.0.1",
                "SERVER_PORT", Integer.toString(freePort()), "ADMIN_PORT", Integer.toString(freePort()),
                "WECHAT_API_BASE", "http://127.0.0.1:9"));
        ShegongConfig seedConfig = ConfigLoader.load(seedEnv);
        try (Shegong seeding = Shegong.start(seedConfig, clock, new Shegong.Seams(UnaryOperator.identity(), false))) {
            DemoSeed.seedIfEmpty(seeding, clock); // no outbox worker or sweeps here: only the replicas send
        }
        ChildMongo mongo = ChildMongo.start(dir.resolve("store"), dir.resolve("mongo.log"));
        env.put("MONGODB_URI", mongo.uri());
        FakeWeChat api = Demo.fakeApi(seedConfig, clock);
        FakeWeChatServer fake = FakeWeChatServer.start("127.0.0.1", 0, api, Optional.of(clock));
        env.put("WECHAT_API_BASE", fake.uri().toString());
        Cluster cluster = new Cluster(dir, mongo, redis, fake, api, env, clock);
        try (ExecutorService starting = Executors.newVirtualThreadPerTaskExecutor()) { // at once: their sweeps start together
            List<Future<ChildService>> started = IntStream.range(0, replicas).mapToObj(i -> starting.submit(() ->
                    ChildService.start("serve", 0, false, cluster.env, dir.resolve("replica-" + i), dir.resolve("replica-" + i + ".log")))).toList();
            for (Future<ChildService> f : started) {
                cluster.replicas.add(f.get());
            }
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Starts replica {@code i} again (after a kill) on its data folder; it gets new ports. */
    ChildService restart(int i) throws Exception {
        ChildService again = ChildService.start("serve", 0, false, env, dir.resolve("replica-" + i),
                dir.resolve("replica-" + i + "-again-" + System.nanoTime() + ".log"));
        replicas.set(i, again);
        return again;
    }

    Redis redis() {
        return redis;
    }

    List<URI> webhooks() {
        return replicas.stream().map(ChildService::uri).toList();
    }

    ChildService replica(int i) {
        return replicas.get(i);
    }

    FakeWeChat wechat() {
        return api;
    }

    Clock clock() {
        return clock;
    }

    ChildMongo mongo() {
        return mongo;
    }

    /** A client of the shared store, for counting what the replicas wrote. */
    Mongo store() {
        return Mongo.open(Optional.of(mongo.uri()), "shegong", dir.resolve("reader"));
    }

    /** From now to the next 09:30 in Baoshan: reminders are never sent in the quiet hours (21:00–08:00). */
    static Duration toNextMorning(Clock now) {
        ZonedDateTime local = ZonedDateTime.now(now).withZoneSameInstant(BAOSHAN);
        ZonedDateTime morning = local.with(LocalTime.of(9, 30));
        return Duration.between(local, morning.isAfter(local) ? morning : morning.plusDays(1));
    }

    private static String newDataKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        for (ChildService r : replicas) {
            r.close();
        }
        fake.close();
        redis.close();
        mongo.close();
    }
}
