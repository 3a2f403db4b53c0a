package cn.shegong.server;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The console as a browser uses it: its own cookie jar and the CSRF token from login. */
class ConsoleClient {

    static final ObjectMapper JSON = new ObjectMapper();

    final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    private final int adminPort;
    String csrf = "";
    /** The address a local proxy says the browser has (X-Forwarded-For, believed from loopback). */
    String from = "127.0.0.1";

    ConsoleClient(int adminPort) {
        this.adminPort = adminPort;
    }

    HttpResponse<String> login(String user, String password) throws Exception {
        HttpResponse<String> r = post("/api/login", Map.of("username", user, "password", password));
        if (r.statusCode() == 200) {
            csrf = JSON.readTree(r.body()).get("csrf").asText();
        }
        return r;
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("X-Forwarded-For", from).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, Map<String, ?> body) throws Exception {
        return post(path, body, csrf);
    }

    HttpResponse<String> post(String path, Map<String, ?> body, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json").header("X-Forwarded-For", from)
                .header("X-CSRF-Token", token).POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(String path) throws Exception {
        HttpResponse<String> r = get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    /** POSTs and expects 200; the answer as JSON. */
    JsonNode act(String path, Map<String, ?> body) throws Exception {
        HttpResponse<String> r = post(path, body);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + adminPort + path);
    }
}
