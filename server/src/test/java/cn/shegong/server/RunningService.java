package cn.shegong.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import cn.shegong.bot.outbound.TemplateBindings;
import cn.shegong.core.testing.TestMongo;
import cn.shegong.core.testing.TestRedis;
import cn.shegong.core.text.Texts;
import cn.shegong.core.time.AdjustableClock;
import cn.shegong.fakewechat.FakePlatform;
import cn.shegong.fakewechat.FakeWeChat;
import cn.shegong.fakewechat.FakeWeChatServer;
import cn.shegong.fakewechat.WeChatPush;
import cn.shegong.server.bench.Scratch;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

/**
 * The whole service for one test class: real HTTP on free ports, the real Redis with a prefix of
 * its own, MongoDB's wire protocol over TCP, and the fake WeChat on both sides — its API (where
 * the service sends) and its push side (what users do). Service and fake share one clock that
 * tests can move forward.
 */
final class RunningService implements AutoCloseable {

    /** The on-duty social worker who gets urgent alerts. */
    static final String DUTY = "o-duty-worker";

    final TestRedis redis = new TestRedis();
    final TestMongo mongo = new TestMongo();
    final AdjustableClock clock;
    final FakeWeChat fakeApi;
    final FakeWeChatServer fakeServer;
    final Shegong shegong;
    final WeChatPush wechat;
    final FakePlatform platform;
    final MongoDatabase db;
    final Path dataDir;
    private final Map<String, String> env;
    private final Shegong.Seams seams;
    private final HttpClient http = HttpClient.newHttpClient();

    RunningService(Clock base) {
        this(base, Shegong.Seams.NONE);
    }

    RunningService(Clock base, Shegong.Seams seams) {
        this(base, seams, false);
    }

    /** With {@code embeddedRedis} the service starts its own redis-server (in {@link #dataDir}), which a test may pause or kill. */
    RunningService(Clock base, Shegong.Seams seams, boolean embeddedRedis) {
        this(base, seams, embeddedRedis, Map.of());
    }

    /** With settings of its own ({@code ROUTING=auto}, say) over the tests' defaults. */
    RunningService(Clock base, Shegong.Seams seams, boolean embeddedRedis, Map<String, String> settings) {
        clock = new AdjustableClock(base);
        fakeApi = new FakeWeChat(TestService.APP_ID, TestService.SECRET, clock);
        new TemplateBindings(new Texts()).templateIds().forEach(fakeApi::registerTemplate);
        fakeServer = FakeWeChatServer.start("127.0.0.1", 0, fakeApi, java.util.Optional.of(clock));
        try {
            dataDir = Files.createTempDirectory("shegong-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        env = TestService.env(dataDir);
        if (!embeddedRedis) {
            env.put("REDIS_URL", TestRedis.URL.toString());
            env.put("REDIS_PREFIX", redis.prefix());
        }
        env.put("MONGODB_URI", mongo.uri());
        env.put("MONGODB_DATABASE", "test");
        env.put("WECHAT_API_BASE", fakeServer.uri().toString());
        env.put("ONDUTY_OPENIDS", DUTY);
        env.putAll(settings);
        fakeApi.follow(DUTY);
        this.seams = seams;
        shegong = Shegong.start(cn.shegong.core.config.ConfigLoader.load(env), clock, seams);
        wechat = TestService.wechat(shegong);
        platform = new FakePlatform(fakeApi, wechat, clock, WeChatPush.Mode.PLAINTEXT);
        db = mongo.database("test");
    }

    /** The environment this service runs with, for commands that run beside it. */
    Map<String, String> envForCommands() {
        return new java.util.HashMap<>(env);
    }

    /** A second replica of the service on the same MongoDB, Redis and fake WeChat. */
    Shegong startReplica() {
        return Shegong.start(cn.shegong.core.config.ConfigLoader.load(env), clock, seams);
    }

    long messagesOf(String openid) {
        return db.getCollection("messages").countDocuments(Filters.eq("openid", openid));
    }

    HttpResponse<String> getAdmin(String path) {
        return get(URI.create("http://127.0.0.1:" + shegong.adminPort() + path));
    }

    HttpResponse<String> getPublic(String path) {
        return get(URI.create("http://127.0.0.1:" + shegong.port() + path));
    }

    private HttpResponse<String> get(URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        shegong.close();
        fakeServer.close();
        mongo.close();
        redis.close();
        http.close();
        Scratch.deleteTree(dataDir); // every test service's folder: ~2 MB each, a full run left ~50 MB in /tmp
    }
}
