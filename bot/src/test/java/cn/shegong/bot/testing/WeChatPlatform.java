package cn.shegong.bot.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import cn.shegong.bot.wechat.WxSignature;
import cn.shegong.bot.wechat.WxXml;

/**
 * The WeChat platform's side of the webhook, for tests: builds pushes the way WeChat documents
 * them, signs them with the account's token (fresh timestamp and nonce each time, as WeChat's
 * retries do) and posts them over HTTP with WeChat's 5-second timeout.
 */
public final class WeChatPlatform {

    public static final String ACCOUNT = "gh_7f083739789a";

    private final URI portal;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong nonce = new AtomicLong(415670741);

    /** {@code base} is the service's public socket, e.g. {@code http://127.0.0.1:8080}. */
    public WeChatPlatform(URI base, String appId, String token) {
        this.portal = base.resolve("/wx/portal/" + appId);
        this.token = token;
    }

    public static String text(String openid, String content, long msgId, long createTime) {
        return "<xml><ToUserName><![CDATA[" + ACCOUNT + "]]></ToUserName>"
                + "<FromUserName><![CDATA[" + openid + "]]></FromUserName>"
                + "<CreateTime>" + createTime + "</CreateTime>"
                + "<MsgType><![CDATA[text]]></MsgType>"
                + "<Content>" + WxXml.cdata(content) + "</Content>"
                + "<MsgId>" + msgId + "</MsgId></xml>";
    }

    public static String image(String openid, String mediaId, long msgId, long createTime) {
        return "<xml><ToUserName><![CDATA[" + ACCOUNT + "]]></ToUserName>"
                + "<FromUserName><![CDATA[" + openid + "]]></FromUserName>"
                + "<CreateTime>" + createTime + "</CreateTime>"
                + "<MsgType><![CDATA[image]]></MsgType>"
                + "<PicUrl><![CDATA[http://mmbiz.qpic.cn/" + mediaId + "]]></PicUrl>"
                + "<MediaId><![CDATA[" + mediaId + "]]></MediaId>"
                + "<MsgId>" + msgId + "</MsgId></xml>";
    }

    /** Posts a correctly signed push. */
    public HttpResponse<String> push(String body) {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String n = Long.toString(nonce.incrementAndGet());
        return push(body, WxSignature.sign(token, timestamp, n), timestamp, n);
    }

    /** Posts a push with the given signature, right or wrong. */
    public HttpResponse<String> push(String body, String signature, String timestamp, String nonce) {
        return send(HttpRequest.newBuilder(query(signature, timestamp, nonce, ""))
                .header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    /** WeChat's server verification: a signed GET that must be answered with {@code echostr}. */
    public HttpResponse<String> verify(String echostr, boolean signCorrectly) {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String n = Long.toString(nonce.incrementAndGet());
        String signature = signCorrectly ? WxSignature.sign(token, timestamp, n) : WxSignature.sign("wrong", timestamp, n);
        return send(HttpRequest.newBuilder(query(signature, timestamp, n, "&echostr=" + echostr)).GET());
    }

    /** The fields of a passive reply. */
    public static Map<String, String> reply(HttpResponse<String> response) {
        return WxXml.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    private URI query(String signature, String timestamp, String nonce, String extra) {
        return URI.create(portal + "?signature=" + signature + "&timestamp=" + timestamp + "&nonce=" + nonce + extra);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
