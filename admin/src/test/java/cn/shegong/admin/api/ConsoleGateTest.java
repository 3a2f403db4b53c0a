package cn.shegong.admin.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's gate on a real server: requests beyond its places wait and are refused with a
 * plain 503, health passes while every place is taken, and a place comes back when its request
 * ends, fails, or leaves it to move bytes.
 */
class ConsoleGateTest {

    private final CountDownLatch inHand = new CountDownLatch(ConsoleGate.REQUESTS_AT_ONCE);
    private final CountDownLatch letGo = new CountDownLatch(1);
    private WebServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void start() {
        server = WebServer.builder().port(0).routing(HttpRouting.builder()
                .addFilter(new ConsoleGate())
                .get("/api/slow", (req, res) -> {
                    inHand.countDown();
                    letGo.await();
                    res.send("done");
                })
                .get("/api/moving", (req, res) -> {
                    ConsoleGate.leave(req);
                    inHand.countDown();
                    letGo.await();
                    res.send("moved");
                })
                .get("/api/fails", (req, res) -> {
                    throw new IllegalStateException("a handler that fails");
                })
                .get("/api/quick", (req, res) -> res.send("quick"))
                .get("/observe/health", (req, res) -> res.send("UP"))).build().start();
    }

    @AfterEach
    void stop() {
        letGo.countDown();
        clients.close();
        server.stop();
    }

    @Test
    void beyondItsPlacesARequestWaitsAndIsRefusedButHealthPasses() throws Exception {
        List<Future<HttpResponse<String>>> held = hold("/api/slow");
        assertEquals(200, get("/observe/health").statusCode(), "health never waits for a place");
        HttpResponse<String> refused = get("/api/quick");
        assertEquals(503, refused.statusCode());
        assertEquals("{\"error\":\"console_busy\"}", refused.body());
        assertEquals("2", refused.headers().firstValue("Retry-After").orElse(""));
        letGo.countDown();
        for (Future<HttpResponse<String>> f : held) {
            assertEquals("done", f.get().body());
        }
        assertEquals(200, get("/api/quick").statusCode(), "the places came back when the requests ended");
    }

    @Test
    void aRequestThatLeftItsPlaceOrFailedGivesItBack() throws Exception {
        for (int i = 0; i < ConsoleGate.REQUESTS_AT_ONCE; i++) {
            assertEquals(500, get("/api/fails").statusCode());
        }
        List<Future<HttpResponse<String>>> moving = hold("/api/moving");
        assertEquals(200, get("/api/quick").statusCode(), "requests that only move bytes hold no place");
        letGo.countDown();
        for (Future<HttpResponse<String>> f : moving) {
            assertEquals("moved", f.get().body());
        }
    }

    /** As many requests to {@code path} as the gate has places, each in its handler before this returns. */
    private List<Future<HttpResponse<String>>> hold(String path) throws InterruptedException {
        List<Future<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < ConsoleGate.REQUESTS_AT_ONCE; i++) {
            held.add(clients.submit(() -> get(path)));
        }
        assertTrue(inHand.await(10, java.util.concurrent.TimeUnit.SECONDS), "the held requests reached their handler");
        return held;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
