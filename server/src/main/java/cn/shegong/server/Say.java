package cn.shegong.server;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import cn.shegong.bot.wechat.WxSignature;
import cn.shegong.bot.wechat.WxXml;
import cn.shegong.core.config.ConfigLoader;
import cn.shegong.core.config.ShegongConfig;

/** {@code ./shegong say [--from OPENID] TEXT}: one signed text push to a running instance, the reply printed. */
final class Say {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Say() {
    }

    static int run(Map<String, String> env, List<String> args, PrintStream out) {
        ShegongConfig config = ConfigLoader.load(env);
        String from = "o-demo-resident";
        List<String> words = args;
        if (args.size() >= 2 && args.get(0).equals("--from")) {
            from = args.get(1);
            words = args.subList(2, args.size());
        }
        if (words.isEmpty()) {
            out.println("Usage: ./shegong say [--from OPENID] TEXT");
            return 1;
        }
        long now = System.currentTimeMillis() / 1000;
        String xml = "<xml><ToUserName>" + WxXml.cdata("gh_demo") + "</ToUserName><FromUserName>" + WxXml.cdata(from)
                + "</FromUserName><CreateTime>" + now + "</CreateTime><MsgType><![CDATA[text]]></MsgType><Content>"
                + WxXml.cdata(String.join(" ", words)) + "</Content><MsgId>" + Math.abs(RANDOM.nextLong())
                + "</MsgId></xml>";
        String timestamp = Long.toString(now);
        String nonce = Integer.toString(RANDOM.nextInt(1_000_000_000));
        String host = config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host();
        URI uri = URI.create("http://" + host + ":" + config.serverPort() + "/wx/portal/" + config.wechat().appId()
                + "?signature=" + WxSignature.sign(config.wechat().token(), timestamp, nonce)
                + "&timestamp=" + timestamp + "&nonce=" + nonce + "&openid=" + from);
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "text/xml")
                    .POST(HttpRequest.BodyPublishers.ofString(xml, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                out.println("HTTP " + response.statusCode() + ": " + response.body());
                return 1;
            }
            String body = response.body();
            out.println(body.startsWith("<xml>") ? WxXml.parse(body.getBytes(StandardCharsets.UTF_8)).get("Content") : body);
            return 0;
        } catch (java.io.IOException e) {
            out.println("No Shegong answers at " + uri.getHost() + ":" + uri.getPort() + " — is `./shegong demo` running?");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
