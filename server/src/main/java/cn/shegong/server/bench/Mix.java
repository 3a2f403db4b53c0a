package cn.shegong.server.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the bench sends, as WeChat would: each openid walks the same day of messages in order
 * ({@code templates/bench/realistic-mix.txt}: a policy question, a request for help through
 * consent, details and confirmation, status, courtesy, an urgent message). {@link #plain} sends
 * only its first line, a policy question, every time.
 */
public record Mix(String name, List<String> script) {

    public static Mix realistic() {
        return new Mix("realistic mix", lines());
    }

    public static Mix plain() {
        return new Mix("policy question only", lines().subList(0, 1));
    }

    private static List<String> lines() {
        try (InputStream in = Mix.class.getClassLoader().getResourceAsStream("bench/realistic-mix.txt")) {
            if (in == null) {
                throw new IllegalStateException("bench/realistic-mix.txt is missing from templates/");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text for the {@code n}-th message of one openid. */
    String message(int n) {
        return script.get(n % script.size());
    }
}
