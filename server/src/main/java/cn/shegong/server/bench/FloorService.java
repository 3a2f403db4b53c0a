package cn.shegong.server.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import cn.shegong.bot.wechat.WxSignature;
import cn.shegong.core.storage.Mongo;
import cn.shegong.core.storage.Redis;
import org.bson.Document;
import redis.clients.jedis.params.SetParams;

import io.helidon.webserver.WebServer;

/**
 * The I/O floor, the bench's reference ({@code bench-floor}, started by the bench in a JVM of its
 * own): the least a webhook with our guarantees must do per push — check the signature, remember
 * the push in Redis ({@code SET NX}), insert it into the same embedded MongoDB-wire store — and a
 * fixed reply. No parsing beyond that, no dialogue, no batching, no commit to disk.
 */
public final class FloorService {

    private FloorService() {
    }

    public static int run() throws InterruptedException {
        Path data = Path.of(System.getenv().getOrDefault("SHEGONG_DATA_DIR", "data/floor"));
        String token = System.getenv("WECHAT_TOKEN");
        Redis redis = Redis.open(Optional.empty(), "floor:", data);
        Mongo mongo = Mongo.open(Optional.empty(), "floor", data);
        var messages = mongo.database().getCollection("messages");
        String reply = "<xml><ToUserName><![CDATA[o]]></ToUserName><FromUserName><![CDATA[gh]]></FromUserName>"
                + "<CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[ok]]></Content></xml>";
        WebServer server = WebServer.builder().host("127.0.0.1").port(Integer.parseInt(System.getenv("SERVER_PORT")))
                .featuresDiscoverServices(false)
                .routing(r -> r.post("/wx/portal/{appid}", (req, res) -> {
                    var q = req.query();
                    if (!WxSignature.matches(q.first("signature").orElse(null), token, q.first("timestamp").orElse(null),
                            q.first("nonce").orElse(null))) {
                        res.status(403).send();
                        return;
                    }
                    String body = new String(req.content().inputStream().readAllBytes(), StandardCharsets.UTF_8);
                    String nonce = q.first("nonce").orElse("");
                    redis.client().set(redis.key("dedup", nonce), "", SetParams.setParams().nx().ex(300));
                    messages.insertOne(new Document("nonce", nonce).append("body", body));
                    res.send(reply);
                }))
                .putSocket("admin", s -> s.host("127.0.0.1").port(Integer.parseInt(System.getenv("ADMIN_PORT"))))
                .routing("admin", r -> r.get("/observe/health", (req, res) -> res.send("{\"status\":\"UP\"}")))
                .build().start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            mongo.close();
            redis.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
