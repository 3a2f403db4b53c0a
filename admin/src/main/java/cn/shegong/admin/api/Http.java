package cn.shegong.admin.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** JSON in and out, the signed-in session, and where a request came from — shared by the API services. */
final class Http {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Http() {
    }

    /** The account's scope, for pages the auditor may not see (answered 404, as if they did not exist). */
    static Scope staffScope(ServerRequest req) {
        Scope scope = session(req).scope();
        if (scope.role() == cn.shegong.admin.account.Role.AUDITOR) {
            throw ApiException.notFound();
        }
        return scope;
    }

    static Session session(ServerRequest req) {
        return req.context().get(Session.class).orElseThrow(() -> new ApiException(401, "not_signed_in"));
    }

    /** Proxies besides this machine whose X-Forwarded-For and X-Forwarded-Proto are believed (TRUSTED_PROXIES), set once at start. */
    private static volatile java.util.List<String> proxies = java.util.List.of();

    static void trustProxies(java.util.List<String> addressesOrRanges) {
        proxies = java.util.List.copyOf(addressesOrRanges);
    }

    /**
     * Where a request came from, for the audit log and the login guard. {@code X-Forwarded-For} is
     * believed only from a proxy on this machine or one named in {@code TRUSTED_PROXIES} (the admin
     * socket listens on loopback unless opened on purpose), and only its last address — the one that
     * proxy added — reduced to the characters of an IP address.
     */
    static String from(ServerRequest req) {
        String peer = req.remotePeer().host();
        if (!trusted(peer)) {
            return peer;
        }
        return req.headers().first(HeaderNames.X_FORWARDED_FOR).map(Http::lastAddress).filter(a -> !a.isEmpty()).orElse(peer);
    }

    /** Whether the browser reached us over TLS: directly, or through a proxy on this machine that says so. */
    static boolean overTls(ServerRequest req) {
        return req.isSecure() || (trusted(req.remotePeer().host())
                && req.headers().first(HeaderNames.X_FORWARDED_PROTO).map("https"::equalsIgnoreCase).orElse(false));
    }

    private static boolean trusted(String peer) {
        return isLoopback(peer) || proxies.stream().anyMatch(p -> covers(p, peer));
    }

    /** An exact address, or an IPv4 range a.b.c.d/n. */
    static boolean covers(String proxy, String peer) {
        int slash = proxy.indexOf('/');
        if (slash < 0) {
            return proxy.equalsIgnoreCase(peer);
        }
        long net = ipv4(proxy.substring(0, slash));
        long addr = ipv4(peer);
        int bits = Integer.parseInt(proxy.substring(slash + 1));
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        return net >= 0 && addr >= 0 && (net & mask) == (addr & mask);
    }

    private static long ipv4(String text) {
        String[] parts = text.split("\\.");
        if (parts.length != 4) {
            return -1;
        }
        long value = 0;
        for (String p : parts) {
            if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > 255) {
                return -1;
            }
            value = value << 8 | Integer.parseInt(p);
        }
        return value;
    }

    private static boolean isLoopback(String host) {
        return host.startsWith("127.") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1") || host.equals("localhost");
    }

    static String lastAddress(String forwardedFor) {
        String last = forwardedFor.substring(forwardedFor.lastIndexOf(',') + 1).replaceAll("[^0-9A-Fa-f.:]", "");
        return last.length() > 45 ? last.substring(0, 45) : last;
    }

    /** A page number from a query: at least 0, at most 100,000 (deeper than any list; keeps skip() from overflowing). */
    static int page(String text) {
        return Math.min(100_000, Math.max(0, Integer.parseInt(text)));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> body(ServerRequest req) {
        try (InputStream in = req.content().inputStream()) {
            byte[] bytes = in.readNBytes(64 * 1024);
            if (bytes.length == 0) {
                return Map.of();
            }
            // JSON only: a cross-site form (text/plain) cannot post without a CORS preflight, which we never grant
            if (!req.headers().contentType().map(t -> t.test(io.helidon.common.media.type.MediaTypes.APPLICATION_JSON)).orElse(false)) {
                throw new ApiException(415, "json_only");
            }
            Object value = JSON.readValue(bytes, Object.class);
            if (!(value instanceof Map<?, ?> map)) { // null, a list, a number: not what any call takes
                throw new ApiException(400, "malformed_json");
            }
            return (Map<String, Object>) map;
        } catch (IOException e) {
            throw new ApiException(400, "malformed_json");
        }
    }

    static int version(Map<String, Object> body) {
        return body.get("version") instanceof Number n ? n.intValue() : -1;
    }

    static String text(Map<String, Object> body, String field) {
        return body.get(field) == null ? "" : String.valueOf(body.get(field)).strip();
    }

    static void json(ServerResponse res, Object value) {
        try {
            res.headers().contentType(HttpMediaType.create("application/json; charset=UTF-8"));
            res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
            res.send(JSON.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
