package cn.shegong.fakewechat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cn.shegong.bot.wechat.MalformedXmlException;
import cn.shegong.bot.wechat.WebhookRejectedException;
import cn.shegong.bot.wechat.WxCrypto;
import cn.shegong.bot.wechat.WxSignature;
import cn.shegong.bot.wechat.WxXml;

/**
 * The WeChat platform's push side (shared/wechat.md §1–§3, §7.1): signs every request with the
 * account's token (fresh timestamp and nonce each time), encrypts in compatible or safe mode,
 * waits 5 seconds, and retries three times with the same body when the answer is late or not
 * acceptable. In safe mode it verifies and decrypts our encrypted replies.
 */
public final class WeChatPush {

    /** How the account's 消息加解密方式 is set. */
    public enum Mode { PLAINTEXT, COMPATIBLE, SAFE }

    /** What WeChat made of one push after its retries. */
    public record Delivery(boolean ok, int attempts, Optional<Map<String, String>> reply, String failure) {
        /** The text a user would see for this push, if any. */
        public Optional<String> replyText() {
            return reply.filter(r -> "text".equals(r.get("MsgType"))).map(r -> r.get("Content"));
        }
    }

    public static final Duration TIMEOUT = Duration.ofSeconds(5);
    public static final int RETRIES = 3;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Read leniently: tests post malformed bodies on purpose. */
    private static final Pattern FROM_USER = Pattern.compile("<FromUserName>(?:<!\\[CDATA\\[)?([^<\\]]*)");

    private final URI portal;
    private final String token;
    private final String appId;
    private final Optional<WxCrypto> crypto;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /** {@code base} is the service's public socket, e.g. {@code http://127.0.0.1:8080}. */
    public WeChatPush(URI base, String appId, String token, Optional<String> encodingAesKey) {
        this.portal = base.resolve("/wx/portal/" + appId);
        this.appId = appId;
        this.token = token;
        this.crypto = encodingAesKey.map(k -> new WxCrypto(token, k, appId));
    }

    /** Delivers a push as WeChat does: up to 1 + 3 tries; ok when an answer was acceptable. */
    public Delivery deliver(String xml, Mode mode) {
        String failure = "";
        for (int attempt = 1; attempt <= 1 + RETRIES; attempt++) {
            try {
                HttpResponse<String> response = post(xml, mode);
                Optional<Map<String, String>> reply = acceptable(response);
                if (reply != null) {
                    return new Delivery(true, attempt, reply, "");
                }
                failure = "HTTP " + response.statusCode() + ": not an acceptable answer";
            } catch (HttpTimeoutException e) {
                failure = "no answer within " + TIMEOUT.toSeconds() + " s";
            } catch (IOException e) {
                failure = "connection failed: " + e.getMessage();
            }
        }
        return new Delivery(false, 1 + RETRIES, Optional.empty(), failure);
    }

    /**
     * WeChat accepts {@code success}, an empty body, or reply XML (in safe mode, encrypted with a
     * valid signature and our appid). Returns the reply's fields (empty for success), or null when
     * the user would see 「该公众号暂时无法提供服务」.
     */
    private Optional<Map<String, String>> acceptable(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            return null;
        }
        String body = response.body();
        if (body.isEmpty() || body.equals("success")) {
            return Optional.empty();
        }
        try {
            return Optional.of(reply(body));
        } catch (WebhookRejectedException e) {
            return null;
        }
    }

    /** The fields of a passive reply, decrypted (and its signature and appid checked) when encrypted. */
    public Map<String, String> reply(String body) {
        Map<String, String> fields = WxXml.parse(body.getBytes(StandardCharsets.UTF_8));
        if (!fields.containsKey("Encrypt")) {
            return fields;
        }
        WxCrypto c = crypto.orElseThrow(() -> new MalformedXmlException("encrypted reply but no EncodingAESKey"));
        String plain = c.decrypt(fields.get("MsgSignature"), fields.get("TimeStamp"), fields.get("Nonce"), fields.get("Encrypt"));
        return WxXml.parse(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** One signed POST, no retries. */
    public HttpResponse<String> post(String xml, Mode mode) throws IOException {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String nonce = Integer.toString(RANDOM.nextInt(1_000_000_000));
        return post(xml, mode, WxSignature.sign(token, timestamp, nonce), timestamp, nonce);
    }

    /** One POST with the given URL signature, right or wrong; safe and compatible bodies get a correct msg_signature. */
    public HttpResponse<String> post(String xml, Mode mode, String signature, String timestamp, String nonce)
            throws IOException {
        Matcher from = FROM_USER.matcher(xml);
        String openid = from.find() ? from.group(1) : "";
        StringBuilder query = new StringBuilder("?signature=").append(signature).append("&timestamp=").append(timestamp)
                .append("&nonce=").append(nonce).append("&openid=").append(openid);
        String body = xml;
        if (mode != Mode.PLAINTEXT) {
            WxCrypto c = crypto.orElseThrow(() -> new IllegalStateException(mode + " mode needs an EncodingAESKey"));
            byte[] random = new byte[16];
            RANDOM.nextBytes(random);
            String encrypt = c.encrypt(random, xml);
            String element = "<Encrypt>" + WxXml.cdata(encrypt) + "</Encrypt>";
            body = mode == Mode.SAFE
                    ? "<xml><ToUserName>" + WxXml.cdata(Pushes.ACCOUNT) + "</ToUserName>" + element + "</xml>"
                    : xml.replace("</xml>", element + "</xml>");
            query.append("&encrypt_type=aes&msg_signature=").append(WxSignature.sign(token, timestamp, nonce, encrypt));
        }
        return send(HttpRequest.newBuilder(URI.create(portal + query.toString()))
                .header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    /** WeChat's server verification: a signed GET that must be answered with {@code echostr}. */
    public HttpResponse<String> verify(String echostr, boolean signCorrectly) throws IOException {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String nonce = Integer.toString(RANDOM.nextInt(1_000_000_000));
        String signature = WxSignature.sign(signCorrectly ? token : token + "x", timestamp, nonce);
        return send(HttpRequest.newBuilder(URI.create(portal + "?signature=" + signature + "&timestamp=" + timestamp
                + "&nonce=" + nonce + "&echostr=" + echostr)).GET());
    }

    public String appId() {
        return appId;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
