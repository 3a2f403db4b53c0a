package cn.shegong.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import cn.shegong.bot.dialogue.BotText;
import cn.shegong.bot.wechat.WxCrypto;
import cn.shegong.bot.wechat.WxSignature;
import cn.shegong.core.resident.Resident;
import cn.shegong.core.text.Texts;
import cn.shegong.fakewechat.WeChatPush.Mode;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every push WeChat documents, as recorded XML in src/test/resources/wechat/inbound/, delivered
 * over HTTP in plaintext, compatible and safe mode: the status, the reply a user would see and
 * what was stored. Every file is also sent with a bad signature, which must store nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InboundTableTest {

    /** One recorded push and what must come of it: the reply contains {@code reply}'s text; empty means {@code success}. */
    record Row(String file, int status, Optional<BotText> reply, String storedType, String storedContent,
               Resident.Status residentStatus, String scene) {
        @Override
        public String toString() {
            return file;
        }
    }

    static Row ok(String file, BotText reply, String type, String content) {
        return new Row(file, 200, Optional.ofNullable(reply), type, content, null, null);
    }

    static Row okResident(String file, BotText reply, String content, Resident.Status status, String scene) {
        return new Row(file, 200, Optional.ofNullable(reply), "event", content, status, scene);
    }

    static Row refused(String file) {
        return new Row(file, 400, Optional.empty(), null, null, null, null);
    }

    static final List<Row> ROWS = List.of(
            ok("text", BotText.MENU_POLICY_DIBAO, "text", "低保要准备哪些材料"),
            ok("text-from-article", BotText.PRIVACY_NOTICE, "text", "文章里说的临时救助，我们家能申请吗"),
            ok("image", null, "image", ""),
            ok("voice", BotText.VOICE_UNCLEAR, "voice", ""),
            ok("voice-recognised", BotText.PRIVACY_NOTICE, "voice", "我妈一个人在家，年纪大了想申请有人照顾"),
            ok("video", null, "video", ""),
            ok("shortvideo", null, "shortvideo", ""),
            ok("location", null, "location", "云南省保山市施甸县姚关镇山邑村"),
            ok("link", null, "link", "保山市民政局关于临时救助的通知"),
            okResident("subscribe", BotText.WELCOME, "", Resident.Status.ACTIVE, null),
            okResident("subscribe-station-qr", BotText.WELCOME, "station:530521101", Resident.Status.ACTIVE, "station:530521101"),
            okResident("unsubscribe", null, "", Resident.Status.UNSUBSCRIBED, null),
            ok("scan", BotText.WELCOME, "event", "station:530521101"),
            ok("location-report", null, "event", ""),
            ok("click-policy", BotText.MENU_POLICY_DIBAO, "event", "POLICY_DIBAO"),
            ok("click-unknown-key", BotText.GREETING, "event", "V1001_OLD_BUTTON"),
            ok("view", null, "event", ""),
            ok("template-finished", null, "event", ""),
            ok("unknown-event", null, "event", ""),
            ok("unknown-type", null, "miniprogrampage", ""),
            refused("missing-from-user"),
            refused("text-without-msgid"),
            refused("malformed"),
            refused("xxe"));

    final AtomicLong ids = new AtomicLong(880_000_000);
    final Texts texts = new Texts();
    RunningService service;

    @BeforeAll
    void start() {
        service = new RunningService(Clock.systemUTC());
    }

    @AfterAll
    void stop() {
        service.close();
    }

    Stream<Arguments> everyRowInEveryMode() {
        List<Arguments> args = new ArrayList<>();
        for (Row row : ROWS) {
            for (Mode mode : Mode.values()) {
                args.add(Arguments.of(row, mode));
            }
        }
        return args.stream();
    }

    String recorded(String file, String openid) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/wechat/inbound/" + file + ".xml")) {
            assertNotNull(in, file);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("${openid}", openid)
                    .replace("${now}", Long.toString(System.currentTimeMillis() / 1000))
                    .replace("${msgId}", Long.toString(ids.incrementAndGet()));
        }
    }

    @ParameterizedTest(name = "{0} in {1} mode")
    @MethodSource("everyRowInEveryMode")
    void pushIsAnsweredAndStored(Row row, Mode mode) throws Exception {
        String openid = "o-" + row.file() + "-" + mode.name().toLowerCase() + "-" + ids.incrementAndGet();
        HttpResponse<String> response = service.wechat.post(recorded(row.file(), openid), mode);

        assertEquals(row.status(), response.statusCode(), response.body());
        if (row.status() != 200) {
            assertEquals(0, service.messagesOf(openid), "a refused push stores nothing");
            return;
        }
        if (row.reply().isEmpty()) {
            assertEquals("success", response.body());
        } else {
            assertEquals(mode != Mode.PLAINTEXT, response.body().contains("<Encrypt>"),
                    "answered in the mode it was asked in");
            Map<String, String> reply = service.wechat.reply(response.body());
            assertEquals(openid, reply.get("ToUserName"));
            assertEquals("text", reply.get("MsgType"));
            assertTrue(reply.get("Content").contains(texts.render(row.reply().get())), reply.get("Content"));
        }
        Document stored = service.db.getCollection("messages")
                .find(Filters.and(Filters.eq("openid", openid), Filters.eq("direction", "IN"))).first();
        assertNotNull(stored, "every accepted push is stored");
        assertEquals(row.storedType(), stored.getString("type"));
        assertEquals(row.storedContent(), service.shegong.messages().conversation(openid).get(0).content());
        if (row.residentStatus() != null) {
            Resident resident = service.shegong.residents().find(openid).orElseThrow();
            assertEquals(row.residentStatus(), resident.status());
            assertEquals(Optional.ofNullable(row.scene()), resident.scene());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rowsOnly")
    void badSignatureIsRefusedAndStoresNothing(Row row) throws Exception {
        String openid = "o-forged-" + ids.incrementAndGet();
        HttpResponse<String> response = service.wechat.post(recorded(row.file(), openid), Mode.PLAINTEXT,
                WxSignature.sign("not-our-token", "1714036504", "1514711492"), "1714036504", "1514711492");
        assertEquals(403, response.statusCode());
        assertEquals(0, service.messagesOf(openid));
    }

    Stream<Row> rowsOnly() {
        return ROWS.stream();
    }

    @Test
    void safeModeWithAWrongMsgSignatureOrAnotherAccountsPayloadIsRefused() throws Exception {
        String openid = "o-safe-forged-" + ids.incrementAndGet();
        String xml = recorded("text", openid);
        String ts = "1714112445";
        String nonce = "415670741";

        String ours = new WxCrypto(TestService.TOKEN, TestService.AES_KEY, TestService.APP_ID).encrypt(new byte[16], xml);
        assertEquals(403, safePost(ours, ts, nonce, WxSignature.sign("wrong", ts, nonce, ours)).statusCode(),
                "msg_signature must cover the Encrypt value with our token");

        String theirs = new WxCrypto(TestService.TOKEN, TestService.AES_KEY, "wx0000000000000000").encrypt(new byte[16], xml);
        assertEquals(403, safePost(theirs, ts, nonce, WxSignature.sign(TestService.TOKEN, ts, nonce, theirs)).statusCode(),
                "a payload sealed for another AppID is refused although its signature is valid");
        assertEquals(0, service.messagesOf(openid));
    }

    private HttpResponse<String> safePost(String encrypt, String ts, String nonce, String msgSignature) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + service.shegong.port() + "/wx/portal/" + TestService.APP_ID
                + "?signature=" + WxSignature.sign(TestService.TOKEN, ts, nonce) + "&timestamp=" + ts + "&nonce=" + nonce
                + "&encrypt_type=aes&msg_signature=" + msgSignature);
        String body = "<xml><ToUserName><![CDATA[gh_7f083739789a]]></ToUserName><Encrypt><![CDATA[" + encrypt
                + "]]></Encrypt></xml>";
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}
