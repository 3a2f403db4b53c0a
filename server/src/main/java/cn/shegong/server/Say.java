package cn.shegong.server;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code ./shegong say [--from OPENID] TEXT}: a user types TEXT in WeChat. It goes through the demo's
 * fake WeChat, which pushes it to the service signed as WeChat does; the passive reply is printed.
 */
final class Say {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Say() {
    }

    static int run(Map<String, String> env, List<String> args, PrintStream out) {
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
        URI uri = URI.create("http://127.0.0.1:" + Demo.fakePort(env) + "/_fake/users/"
                + URLEncoder.encode(from, StandardCharsets.UTF_8) + "/say");
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()) {
            byte[] body = JSON.writeValueAsBytes(Map.of("text", String.join(" ", words)));
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            Map<?, ?> delivery = JSON.readValue(response.body(), Map.class);
            if (!Boolean.TRUE.equals(delivery.get("ok"))) {
                out.println("WeChat would show the user an error: " + delivery.get("failure"));
                return 1;
            }
            Object reply = delivery.get("reply");
            out.println(reply != null ? reply : "(no passive reply; an answer may follow as a customer-service message)");
            return 0;
        } catch (IOException e) {
            out.println("No demo answers at " + uri.getHost() + ":" + uri.getPort() + " — is `./shegong demo` running?");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
