package cn.shegong.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import cn.shegong.bot.testing.WeChatPlatform;
import cn.shegong.core.testing.TestMongo;
import cn.shegong.core.testing.TestRedis;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real server on free ports, the real Redis on 127.0.0.1:6379 (a key prefix of its own), and
 * MongoDB's wire protocol over TCP; every request goes over HTTP signed as WeChat signs it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookEndToEndTest {

    static final Instant NOW = Instant.parse("2026-11-29T03:00:00Z");

    TestRedis redis;
    TestMongo mongo;
    Shegong shegong;
    WeChatPlatform wechat;
    MongoDatabase db;
    final List<LogRecord> logged = new ArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (logged) {
                logged.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    void start(@TempDir Path dataDir) {
        redis = new TestRedis();
        mongo = new TestMongo();
        Map<String, String> env = TestService.env(dataDir);
        env.put("REDIS_URL", TestRedis.URL.toString());
        env.put("REDIS_PREFIX", redis.prefix());
        env.put("MONGODB_URI", mongo.uri());
        env.put("MONGODB_DATABASE", "e2e");
        Logger.getLogger("").addHandler(capture);
        shegong = TestService.start(env, Clock.fixed(NOW, ZoneId.of("Asia/Shanghai")));
        wechat = TestService.wechat(shegong);
        db = mongo.database("e2e");
    }

    @AfterAll
    void stop() {
        Logger.getLogger("").removeHandler(capture);
        shegong.close();
        mongo.close();
        redis.close();
    }

    long messagesOf(String openid) {
        return db.getCollection("messages").countDocuments(Filters.eq("openid", openid));
    }

    @Test
    void serverVerificationEchoesEchostr() {
        HttpResponse<String> ok = wechat.verify("4375120948345356249", true);
        assertEquals(200, ok.statusCode());
        assertEquals("4375120948345356249", ok.body());
        assertEquals(403, wechat.verify("4375120948345356249", false).statusCode());
    }

    @Test
    void aTextGetsAPassiveReplyAndIsStoredWithItsResident() {
        long sent = NOW.getEpochSecond() - 2;
        HttpResponse<String> response = wechat.push(WeChatPlatform.text("o-li", "你好，我想问问低保怎么申请", 1001, sent));

        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/xml"));
        Map<String, String> reply = WeChatPlatform.reply(response);
        assertEquals("o-li", reply.get("ToUserName"));
        assertEquals(WeChatPlatform.ACCOUNT, reply.get("FromUserName"));
        assertEquals("text", reply.get("MsgType"));
        assertEquals(Long.toString(NOW.getEpochSecond()), reply.get("CreateTime"));
        assertTrue(reply.get("Content").contains("保山市社工站"), reply.get("Content"));

        Document in = db.getCollection("messages").find(Filters.and(Filters.eq("openid", "o-li"), Filters.eq("direction", "IN"))).first();
        assertNotNull(in);
        assertEquals("你好，我想问问低保怎么申请", in.getString("content"));
        assertEquals(1001L, in.getLong("msgId"));
        assertEquals(Instant.ofEpochSecond(sent), in.getDate("sentAt").toInstant());
        Document out = db.getCollection("messages").find(Filters.and(Filters.eq("openid", "o-li"), Filters.eq("direction", "OUT"))).first();
        assertEquals(reply.get("Content"), out.getString("content"), "the reply is stored as sent");

        Document resident = db.getCollection("residents").find(Filters.eq("_id", "o-li")).first();
        assertNotNull(resident, "first contact creates the resident");
        assertEquals(NOW, resident.getDate("firstContactAt").toInstant());
    }

    @Test
    void threeDeliveriesOfOneMsgIdAreHandledOnceAndAnsweredAlike() {
        String body = WeChatPlatform.text("o-wang", "家里老人没人照顾", 2002, NOW.getEpochSecond());
        HttpResponse<String> first = wechat.push(body);
        HttpResponse<String> second = wechat.push(body);
        HttpResponse<String> third = wechat.push(body);

        assertEquals(200, first.statusCode());
        assertTrue(first.body().startsWith("<xml>"));
        assertEquals(first.body(), second.body());
        assertEquals(first.body(), third.body());
        assertEquals(2, messagesOf("o-wang"), "one message in, one reply out");
    }

    @Test
    void otherMessageTypesAreStoredAndAnsweredSuccess() {
        HttpResponse<String> response = wechat.push(WeChatPlatform.image("o-zhao", "media-7", 3003, NOW.getEpochSecond()));
        assertEquals(200, response.statusCode());
        assertEquals("success", response.body());
        Document in = db.getCollection("messages").find(Filters.eq("openid", "o-zhao")).first();
        assertEquals("image", in.getString("type"));
        assertEquals("media-7", in.get("fields", Document.class).getString("MediaId"));
    }

    @Test
    void residentsWordsAndSecretsNeverReachTheLogAtInfo() {
        wechat.push(WeChatPlatform.text("o-log", "我家孩子被打了很害怕", 4004, NOW.getEpochSecond()));
        wechat.push("<xml><Content>我家孩子被打了很害怕</Content>");
        synchronized (logged) {
            for (LogRecord record : logged) {
                if (record.getLevel().intValue() < Level.INFO.intValue()) {
                    continue;
                }
                String text = String.valueOf(record.getMessage()) + record.getThrown();
                assertFalse(text.contains("孩子被打"), "content logged: " + text);
                assertFalse(text.contains("test-secret"), "secret logged: " + text);
            }
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Refused {

        @Test
        void badSignatureIs403AndStoresNothing() {
            String body = WeChatPlatform.text("o-forged", "伪造的消息", 5005, NOW.getEpochSecond());
            HttpResponse<String> response = wechat.push(body, "0".repeat(40), "1764381600", "1");
            assertEquals(403, response.statusCode());
            assertEquals(0, messagesOf("o-forged"));
            assertEquals(0, db.getCollection("residents").countDocuments(Filters.eq("_id", "o-forged")));
        }

        @Test
        void malformedXmlIs400AndStoresNothing() {
            long before = db.getCollection("messages").countDocuments();
            assertEquals(400, wechat.push("<xml><FromUserName>o-broken</FromUserName>").statusCode());
            assertEquals(400, wechat.push("{\"MsgType\":\"text\"}").statusCode());
            assertEquals(400, wechat.push("<xml><ToUserName>gh_1</ToUserName><FromUserName>o-broken</FromUserName>"
                    + "<CreateTime>1</CreateTime><MsgType>text</MsgType><Content>no MsgId</Content></xml>").statusCode());
            assertEquals(before, db.getCollection("messages").countDocuments());
        }

        @Test
        void doctypeIsRefused() {
            String xxe = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                    + WeChatPlatform.text("o-xxe", "&x;", 6006, NOW.getEpochSecond()).replace("<![CDATA[&x;]]>", "&x;");
            HttpResponse<String> response = wechat.push(xxe);
            assertEquals(400, response.statusCode());
            assertFalse(response.body().contains("root:"));
            assertEquals(0, messagesOf("o-xxe"));
        }

        @Test
        void oversizedBodyIs413() {
            String huge = WeChatPlatform.text("o-huge", "长".repeat(40_000), 7007, NOW.getEpochSecond());
            assertEquals(413, wechat.push(huge).statusCode());
            assertEquals(0, messagesOf("o-huge"));
        }

        @Test
        void anotherAccountsAppIdIs404() throws Exception {
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + shegong.port() + "/wx/portal/wx0000000000000000"))
                    .POST(HttpRequest.BodyPublishers.ofString(WeChatPlatform.text("o-x", "hi", 8008, 1))).build();
            try (HttpClient http = HttpClient.newHttpClient()) {
                assertEquals(404, http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
            }
        }

        @Test
        void refusalsAreCountedInMetrics() throws Exception {
            wechat.push("not xml");
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + shegong.adminPort() + "/observe/metrics")).build();
            try (HttpClient http = HttpClient.newHttpClient()) {
                String metrics = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(metrics.contains("shegong_wechat_inbound_total{outcome=\"malformed\""), metrics);
            }
        }
    }

    @Test
    void healthReportsBothStoresOnTheAdminSocketOnly() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            var admin = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + shegong.adminPort() + "/observe/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, admin.statusCode());
            assertTrue(admin.body().contains("\"name\":\"mongodb\",\"status\":\"UP\""), admin.body());
            assertTrue(admin.body().contains("\"name\":\"redis\",\"status\":\"UP\""), admin.body());
            var pub = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + shegong.port() + "/observe/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, pub.statusCode(), "health and metrics are not on the internet-facing socket");
        }
    }
}
