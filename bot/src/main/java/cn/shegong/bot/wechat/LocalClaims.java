package cn.shegong.bot.wechat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link Claims} keeps in Redis, kept by this instance alone while Redis is unreachable:
 * retries recognised, signatures remembered, a person's rate counted. Bounded (the oldest entries
 * go first) and expiring like their Redis keys. Other replicas do not see it; MongoDB's unique
 * message id still stores each message once.
 */
final class LocalClaims {

    static final String PENDING = "pending";
    private static final int MAX_ENTRIES = 100_000;

    private record Held(String value, long expiresAtMillis) {
    }

    private final Map<String, Held> entries = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Held> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    /** 1 first delivery, 0 a retry ({@code earlier} holds the answer or pending), 3 a replayed signature, 4 too fast. */
    record Outcome(int code, Optional<String> earlier) {
    }

    synchronized Outcome claim(String retryKey, String nonceKey, String rateKey, String dedupKey, long nowMillis) {
        Optional<String> seen = get(nonceKey, nowMillis);
        if (seen.isPresent() && !seen.get().equals(dedupKey)) {
            return new Outcome(3, Optional.empty());
        }
        put(nonceKey, dedupKey, nowMillis + Claims.NONCE_TTL_SECONDS * 1000);
        Optional<String> held = get(retryKey, nowMillis);
        if (held.isPresent()) {
            return new Outcome(0, held);
        }
        long n = get(rateKey, nowMillis).map(Long::parseLong).orElse(0L) + 1;
        Held rate = entries.get(rateKey);
        put(rateKey, Long.toString(n), rate != null && n > 1 ? rate.expiresAtMillis() : nowMillis + 60_000);
        if (n > Claims.PER_MINUTE) {
            return new Outcome(4, Optional.empty());
        }
        put(retryKey, PENDING, nowMillis + Claims.RETRY_TTL_SECONDS * 1000);
        return new Outcome(1, Optional.empty());
    }

    /** Keeps the (sealed) answer for retries; {@code null} forgets the claim so a retry is handled afresh. */
    synchronized void finish(String retryKey, String sealedAnswer, long nowMillis) {
        if (sealedAnswer == null) {
            entries.remove(retryKey);
        } else {
            put(retryKey, sealedAnswer, nowMillis + Claims.RETRY_TTL_SECONDS * 1000);
        }
    }

    private Optional<String> get(String key, long nowMillis) {
        Held e = entries.get(key);
        if (e == null || e.expiresAtMillis() <= nowMillis) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(e.value());
    }

    private void put(String key, String value, long expiresAtMillis) {
        entries.remove(key);
        entries.put(key, new Held(value, expiresAtMillis));
    }
}
