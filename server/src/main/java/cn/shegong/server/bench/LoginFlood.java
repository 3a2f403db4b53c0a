package cn.shegong.server.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Password guessing at the console's login, as an attacker would load it: {@code clients} at a
 * time, each sending wrong passwords one after another until {@link #stop} and at least {@code
 * attempts} were made. {@code spread}: each attempt from an address of its own (forwarded by a
 * proxy on this machine), so no per-address lock stops it before the password check — a guessing
 * attack from many addresses; otherwise all from one address, as a probe from one machine.
 * Counts the answers by HTTP status and keeps the slowest.
 */
public final class LoginFlood {

    /** Where the guesses come from when they are not spread. */
    public static final String ONE_ADDRESS = "10.9.9.9";
    /** Longer than any answer should take: an attempt unanswered by then counts as "no answer". */
    private static final Duration WAIT = Duration.ofSeconds(15);

    /** Spread addresses are never used twice in one JVM, so an earlier flood's locks never stop a later one's guesses. */
    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    private final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
    private final AtomicInteger made = new AtomicInteger();
    private final AtomicLong slowestNanos = new AtomicLong();
    private final int attempts;
    private volatile boolean stopping;
    private final Thread[] clients;

    private LoginFlood(int clients, int attempts) {
        this.clients = new Thread[clients];
        this.attempts = attempts;
    }

    /** Starts guessing at {@code admin} (the console's port). */
    public static LoginFlood start(HttpClient http, URI admin, int clients, int attempts, boolean spread) {
        LoginFlood flood = new LoginFlood(clients, attempts);
        for (int c = 0; c < clients; c++) {
            int client = c;
            flood.clients[c] = Thread.ofVirtual().start(() -> flood.guess(http, admin, client, spread));
        }
        return flood;
    }

    private void guess(HttpClient http, URI admin, int client, boolean spread) {
        while (!stopping || made.get() < attempts) {
            int n = made.getAndIncrement();
            int a = spread ? ADDRESSES.getAndIncrement() : 0;
            String from = spread ? "10." + (a >> 16 & 255) + "." + (a >> 8 & 255) + "." + (a & 255) : ONE_ADDRESS;
            String body = "{\"username\":\"admin\",\"password\":\"guess-" + client + "-" + n + "\"}";
            long t0 = System.nanoTime();
            String outcome;
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(admin.resolve("/api/login")).timeout(WAIT)
                        .header("Content-Type", "application/json").header("X-Forwarded-For", from)
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.discarding());
                outcome = Integer.toString(r.statusCode());
            } catch (HttpTimeoutException e) {
                outcome = "no answer";
            } catch (IOException e) {
                outcome = e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                return;
            }
            slowestNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
            answers.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
        }
    }

    /** Lets the clients finish once {@code attempts} were made; waits for them; the answers by status. */
    public Map<String, Integer> stop() throws InterruptedException {
        stopping = true;
        for (Thread t : clients) {
            t.join();
        }
        Map<String, Integer> counted = new TreeMap<>();
        answers.forEach((k, v) -> counted.put(k, v.get()));
        return counted;
    }

    public long slowestMillis() {
        return slowestNanos.get() / 1_000_000;
    }
}
