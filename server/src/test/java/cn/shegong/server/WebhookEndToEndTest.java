package cn.shegong.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

import cn.shegong.fakewechat.Pushes;
import cn.shegong.fakewechat.WeChatPush;
import cn.shegong.server.bench.MongoCounts;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

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

    RunningService service;
    Shegong shegong;
    WeChatPush wechat;
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
    void start() {
        Logger.getLogger("").addHandler(capture);
        service = new RunningService(Clock.fixed(NOW, ZoneId.of("Asia/Shanghai")));
        shegong = service.shegong;
        wechat = service.wechat;
        db = service.db;
    }

    @AfterAll
    void stop() {
        Logger.getLogger("").removeHandler(capture);
        service.close();
    }

    HttpResponse<String> push(String xml) throws Exception {
        return wechat.post(xml, WeChatPush.Mode.PLAINTEXT);
    }

    long messagesOf(String openid) {
        return service.messagesOf(openid);
    }

    @Test
    void serverVerificationEchoesEchostr() throws Exception {
        HttpResponse<String> ok = wechat.verify("4375120948345356249", true);
        assertEquals(200, ok.statusCode());
        assertEquals("4375120948345356249", ok.body());
        assertEquals(403, wechat.verify("4375120948345356249", false).statusCode());
    }

    @Test
    void aTextGetsAPassiveReplyAndIsStoredWithItsResident() throws Exception {
        long sent = NOW.getEpochSecond() - 2;
        HttpResponse<String> response = push(Pushes.text("o-li", sent, 1001, "你好，我想问问低保怎么申请"));

        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/xml"));
        Map<String, String> reply = wechat.reply(response.body());
        assertEquals("o-li", reply.get("ToUserName"));
        assertEquals(Pushes.ACCOUNT, reply.get("FromUserName"));
        assertEquals("text", reply.get("MsgType"));
        assertEquals(Long.toString(NOW.getEpochSecond()), reply.get("CreateTime"));
        assertTrue(reply.get("Content").contains("保山市社工站"), reply.get("Content"));

        Document in = db.getCollection("messages").find(Filters.and(Filters.eq("openid", "o-li"), Filters.eq("direction", "IN"))).first();
        assertNotNull(in);
        assertTrue(in.getString("content").startsWith("enc1:"), "encrypted at rest");
        var conversation = shegong.messages().conversation("o-li");
        assertEquals("你好，我想问问低保怎么申请", conversation.get(0).content());
        assertEquals(1001L, in.getLong("msgId"));
        assertEquals(Instant.ofEpochSecond(sent), in.getDate("sentAt").toInstant());
        assertEquals(reply.get("Content"), conversation.get(1).content(), "the reply is stored as sent");

        Document resident = db.getCollection("residents").find(Filters.eq("_id", "o-li")).first();
        assertNotNull(resident, "first contact creates the resident");
        assertEquals(NOW, resident.getDate("firstContactAt").toInstant());
    }

    @Test
    void threeDeliveriesOfOneMsgIdAreHandledOnceAndAnsweredAlike() throws Exception {
        String body = Pushes.text("o-wang", NOW.getEpochSecond(), 2002, "家里老人没人照顾");
        HttpResponse<String> first = push(body);
        HttpResponse<String> second = push(body);
        HttpResponse<String> third = push(body);

        assertEquals(200, first.statusCode());
        assertTrue(first.body().startsWith("<xml>"));
        assertEquals(first.body(), second.body());
        assertEquals(first.body(), third.body());
        assertEquals(2, messagesOf("o-wang"), "one message in, one reply out");
    }

    @Test
    void otherMessageTypesAreStoredAndAnsweredSuccess() throws Exception {
        HttpResponse<String> response = push(Pushes.image("o-zhao", NOW.getEpochSecond(), 3003, "media-7"));
        assertEquals(200, response.statusCode());
        assertEquals("success", response.body());
        Document in = db.getCollection("messages").find(Filters.eq("openid", "o-zhao")).first();
        assertEquals("image", in.getString("type"));
        assertEquals("media-7", shegong.messages().conversation("o-zhao").get(0).fields().get("MediaId"));
    }

    @Test
    void residentsWordsAndSecretsNeverReachTheLogAtInfo() throws Exception {
        push(Pushes.text("o-log", NOW.getEpochSecond(), 4004, "我家孩子被打了很害怕"));
        push("<xml><Content>我家孩子被打了很害怕</Content>");
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

    /** Forgery, replay and floods: refused cleanly, counted, nothing stored. */
    @Nested
    class ForgedAndFlooded {

        HttpResponse<String> signedAt(String xml, long timestamp, String nonce) throws Exception {
            String ts = Long.toString(timestamp);
            return wechat.post(xml, WeChatPush.Mode.PLAINTEXT, cn.shegong.bot.wechat.WxSignature.sign(TestService.TOKEN, ts, nonce), ts, nonce);
        }

        @Test
        void aPushSignedAYearAgoIsRefused() throws Exception {
            long yearAgo = System.currentTimeMillis() / 1000 - 365L * 86400;
            assertEquals(403, signedAt(Pushes.text("o-stale", NOW.getEpochSecond(), 9101, "旧的"), yearAgo, "n-stale").statusCode());
            assertEquals(0, messagesOf("o-stale"));
        }

        @Test
        void aSignatureReusedForAnotherMessageIsRefusedButWeChatsRetryIsAnswered() throws Exception {
            long now = System.currentTimeMillis() / 1000;
            String original = Pushes.text("o-replay", NOW.getEpochSecond(), 9201, "你好");
            HttpResponse<String> first = signedAt(original, now, "n-replay");
            assertEquals(200, first.statusCode());
            assertEquals(first.body(), signedAt(original, now, "n-replay").body(), "the same push again is a retry");
            String forged = Pushes.text("o-replay", NOW.getEpochSecond(), 9202, "伪造的消息");
            assertEquals(403, signedAt(forged, now, "n-replay").statusCode());
            assertEquals(2, messagesOf("o-replay"), "the first message and its reply, nothing forged");
        }

        @Test
        void absurdCreateTimesAreRefused() throws Exception {
            assertEquals(400, push(Pushes.text("o-time", -37_000_000_000L, 9301, "x")).statusCode());
            assertEquals(400, push(Pushes.text("o-time", 318_857L * 365 * 86400, 9302, "x")).statusCode());
            assertEquals(0, messagesOf("o-time"));
        }

        @Test
        void controlCharactersAndDirectionOverridesAreStrippedBeforeStoring() throws Exception {
            String xml11 = "<?xml version=\"1.1\"?>" + Pushes.text("o-ctl", NOW.getEpochSecond(), 9401, "X")
                    .replace("<![CDATA[X]]>", "你&#x1b;[31m好&#x7;&#x202e;吗");
            assertEquals(200, push(xml11).statusCode());
            assertEquals("你[31m好吗", shegong.messages().conversation("o-ctl").get(0).content());
        }

        @Test
        void aFloodFromOnePersonIsAnsweredPolitelyAndNotStoredPastTheLimit() throws Exception {
            for (int i = 0; i < 30; i++) {
                assertEquals(200, push(Pushes.text("o-flood", NOW.getEpochSecond(), 9500 + i, "第" + i + "条")).statusCode());
            }
            HttpResponse<String> over = push(Pushes.text("o-flood", NOW.getEpochSecond(), 9599, "第三十一条"));
            assertEquals(200, over.statusCode());
            assertTrue(wechat.reply(over.body()).get("Content").contains("过一分钟"), over.body());
            assertEquals(0, shegong.messages().conversation("o-flood").stream().filter(m -> m.content().equals("第三十一条")).count());
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Refused {

        @Test
        void badSignatureIs403AndStoresNothing() throws Exception {
            String body = Pushes.text("o-forged", NOW.getEpochSecond(), 5005, "伪造的消息");
            HttpResponse<String> response = wechat.post(body, WeChatPush.Mode.PLAINTEXT, "0".repeat(40), "1764381600", "1");
            assertEquals(403, response.statusCode());
            assertEquals(0, messagesOf("o-forged"));
            assertEquals(0, db.getCollection("residents").countDocuments(Filters.eq("_id", "o-forged")));
        }

        @Test
        void malformedXmlIs400AndStoresNothing() throws Exception {
            long before = db.getCollection("messages").countDocuments();
            assertEquals(400, push("<xml><FromUserName>o-broken</FromUserName>").statusCode());
            assertEquals(400, push("{\"MsgType\":\"text\"}").statusCode());
            assertEquals(400, push("<xml><ToUserName>gh_1</ToUserName><FromUserName>o-broken</FromUserName>"
                    + "<CreateTime>1</CreateTime><MsgType>text</MsgType><Content>no MsgId</Content></xml>").statusCode());
            assertEquals(before, db.getCollection("messages").countDocuments());
        }

        @Test
        void doctypeIsRefused() throws Exception {
            String xxe = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                    + Pushes.text("o-xxe", NOW.getEpochSecond(), 6006, "&x;").replace("<![CDATA[&x;]]>", "&x;");
            HttpResponse<String> response = push(xxe);
            assertEquals(400, response.statusCode());
            assertFalse(response.body().contains("root:"));
            assertEquals(0, messagesOf("o-xxe"));
        }

        @Test
        void billionLaughsAndDeepNestingAreRefusedWithoutExpanding() throws Exception {
            StringBuilder dtd = new StringBuilder("<!DOCTYPE xml [<!ENTITY l0 \"ha\">");
            for (int i = 1; i < 10; i++) {
                dtd.append("<!ENTITY l").append(i).append(" \"").append(("&l" + (i - 1) + ";").repeat(10)).append("\">");
            }
            String laughs = dtd + "]>" + Pushes.text("o-laughs", NOW.getEpochSecond(), 6106, "x").replace("<![CDATA[x]]>", "&l9;");
            assertEquals(400, push(laughs).statusCode());
            String deep = "<xml>" + "<a>".repeat(5_000) + "</a>".repeat(5_000) + "</xml>";
            assertEquals(400, push(deep).statusCode());
            assertEquals(0, messagesOf("o-laughs"));
        }

        @Test
        void oversizedBodyIs413() throws Exception {
            String huge = Pushes.text("o-huge", NOW.getEpochSecond(), 7007, "长".repeat(40_000));
            assertEquals(413, push(huge).statusCode());
            assertEquals(0, messagesOf("o-huge"));
        }

        @Test
        void anotherAccountsAppIdIs404() throws Exception {
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + shegong.port() + "/wx/portal/wx0000000000000000"))
                    .POST(HttpRequest.BodyPublishers.ofString(Pushes.text("o-x", 1, 8008, "hi"))).build();
            try (HttpClient http = HttpClient.newHttpClient()) {
                assertEquals(404, http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
            }
        }

        @Test
        void refusalsAreCountedInMetrics() throws Exception {
            push("not xml");
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + shegong.adminPort() + "/observe/metrics")).build();
            try (HttpClient http = HttpClient.newHttpClient()) {
                String metrics = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(metrics.contains("shegong_wechat_inbound_total{outcome=\"malformed\""), metrics);
            }
        }
    }

    @Test
    void theMongoDbCommandsAMessageCostsAreCountedInMetrics() throws Exception {
        MongoCounts before = MongoCounts.parse(service.getAdmin("/observe/metrics").body());
        push(Pushes.text("o-counted", NOW.getEpochSecond(), 5005, "请问低保要带什么材料"));
        MongoCounts after = MongoCounts.parse(service.getAdmin("/observe/metrics").body());
        assertTrue(after.of("insert", "messages") > before.of("insert", "messages"), "the message and its reply are stored: " + after);
        assertTrue(after.of("update", "residents") > before.of("update", "residents"), "the contact time is kept: " + after);
    }

    @Test
    void healthReportsBothStoresOnTheAdminSocketOnly() throws Exception {
        var admin = service.getAdmin("/observe/health");
        assertEquals(200, admin.statusCode());
        assertTrue(admin.body().contains("\"name\":\"mongodb\",\"status\":\"UP\""), admin.body());
        assertTrue(admin.body().contains("\"name\":\"redis\",\"status\":\"UP\""), admin.body());
        assertEquals(404, service.getPublic("/observe/health").statusCode(),
                "health and metrics are not on the internet-facing socket");
    }
}
