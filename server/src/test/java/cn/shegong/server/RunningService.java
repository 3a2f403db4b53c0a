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

import cn.shegong.core.testing.TestMongo;
import cn.shegong.core.testing.TestRedis;
import cn.shegong.fakewechat.WeChatPush;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

/**
 * The whole service for one test class: real HTTP on free ports, the real Redis with a prefix of
 * its own, MongoDB's wire protocol over TCP, and WeChat's push side to talk to it.
 */
final class RunningService implements AutoCloseable {

    final TestRedis redis = new TestRedis();
    final TestMongo mongo = new TestMongo();
    final Shegong shegong;
    final WeChatPush wechat;
    final MongoDatabase db;
    private final Path dataDir;
    private final HttpClient http = HttpClient.newHttpClient();

    RunningService(Clock clock) {
        try {
            dataDir = Files.createTempDirectory("shegong-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> env = TestService.env(dataDir);
        env.put("REDIS_URL", TestRedis.URL.toString());
        env.put("REDIS_PREFIX", redis.prefix());
        env.put("MONGODB_URI", mongo.uri());
        env.put("MONGODB_DATABASE", "test");
        shegong = TestService.start(env, clock);
        wechat = TestService.wechat(shegong);
        db = mongo.database("test");
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
        mongo.close();
        redis.close();
        http.close();
    }
}
