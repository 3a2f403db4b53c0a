package cn.shegong.server.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import cn.shegong.bot.wechat.PassiveReply;
import cn.shegong.bot.wechat.WxSignature;
import cn.shegong.fakewechat.Pushes;

/**
 * WeChat's side of a multi-replica check: signed text pushes to replicas behind a proxy, with
 * WeChat's retry behaviour (shared/wechat.md §2.3): no answer within 5 s, or an error, and the same
 * push (same MsgId, fresh signature) comes again, up to three more times, here always landing on the
 * next replica. It keeps the tally the checks report: sent, answered, retried, retries answered the
 * same as the first answer.
 */
public final class Deliveries {

    static final int ATTEMPTS = 4;
    static final Duration WECHAT_WAIT = Duration.ofSeconds(5);

    /** What WeChat saw. {@code answered} holds every MsgId that got 200 with a reply or {@code success}. */
    public record Tally(int sent, int answered, int retries, int retriesSame, int retriesDiffering, Set<Long> answeredIds) {
    }

    private final HttpClient http;
    private volatile List<URI> replicas;
    private final String appId;
    private final String token;
    private final AtomicLong nonces = new AtomicLong();
    private final Set<Long> sent = ConcurrentHashMap.newKeySet();
    private final Set<Long> answered = ConcurrentHashMap.newKeySet();
    private final AtomicInteger retries = new AtomicInteger();
    private final AtomicInteger retriesSame = new AtomicInteger();
    private final AtomicInteger retriesDiffering = new AtomicInteger();

    public Deliveries(HttpClient http, List<URI> replicas, String appId, String token) {
        this.http = http;
        this.replicas = List.copyOf(replicas);
        this.appId = appId;
        this.token = token;
    }

    /**
     * One message as WeChat delivers it, first to replica {@code first}; returns the answer of the
     * attempt that got one (a passive reply's XML or {@code success}), empty when all four failed.
     */
    public Optional<String> deliver(String openid, long msgId, String text, int first) {
        sent.add(msgId);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (attempt > 0) {
                retries.incrementAndGet();
            }
            Optional<String> answer = post((first + attempt) % replicas.size(), openid, msgId, text);
            if (answer.isPresent()) {
                answered.add(msgId);
                return answer;
            }
        }
        return Optional.empty();
    }

    /**
     * WeChat's retry of a push that was answered but whose answer did not reach it in time, on the
     * replica after {@code first}: it must get the same answer (counted either way).
     */
    public void retryAnswered(String openid, long msgId, String text, int first, String earlier) {
        Optional<String> again = Optional.empty();
        for (int attempt = 1; attempt < ATTEMPTS && again.isEmpty(); attempt++) {
            retries.incrementAndGet();
            again = post((first + attempt) % replicas.size(), openid, msgId, text);
        }
        if (again.isPresent() && again.get().equals(earlier)) {
            retriesSame.incrementAndGet();
        } else {
            retriesDiffering.incrementAndGet();
        }
    }

    /**
     * The same push on both replicas at once, as when WeChat retries while the first delivery is
     * still being handled: one handles it; the other answers the same or {@code success}.
     */
    public void race(String openid, long msgId, String text) throws Exception {
        sent.add(msgId);
        retries.incrementAndGet();
        try (ExecutorService both = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Optional<String>> a = both.submit(() -> post(0, openid, msgId, text));
            Future<Optional<String>> b = both.submit(() -> post(1 % replicas.size(), openid, msgId, text));
            Optional<String> first = a.get();
            Optional<String> second = b.get();
            if (first.isEmpty() && second.isEmpty()) {
                deliver(openid, msgId, text, 0); // neither answered: WeChat goes on retrying
                return;
            }
            answered.add(msgId);
            boolean agree = first.equals(second) || first.filter(PassiveReply.SUCCESS::equals).isPresent()
                    || second.filter(PassiveReply.SUCCESS::equals).isPresent() || first.isEmpty() || second.isEmpty();
            (agree ? retriesSame : retriesDiffering).incrementAndGet();
        }
    }

    /** Replica {@code i} answers at {@code uri} now (restarted on a new port). */
    public synchronized void replica(int i, URI uri) {
        List<URI> next = new java.util.ArrayList<>(replicas);
        next.set(i, uri);
        replicas = List.copyOf(next);
    }

    public Tally tally() {
        return new Tally(sent.size(), answered.size(), retries.get(), retriesSame.get(), retriesDiffering.get(), Set.copyOf(answered));
    }

    private Optional<String> post(int replica, String openid, long msgId, String text) {
        long now = System.currentTimeMillis() / 1000; // WeChat signs with the real time, whatever the services' clock says
        String timestamp = Long.toString(now);
        String nonce = Long.toString(nonces.incrementAndGet() * 7919 + msgId % 100_000);
        URI uri = URI.create(replicas.get(replica) + "/wx/portal/" + appId + "?signature=" + WxSignature.sign(token, timestamp, nonce)
                + "&timestamp=" + timestamp + "&nonce=" + nonce + "&openid=" + openid);
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(WECHAT_WAIT)
                    .POST(HttpRequest.BodyPublishers.ofString(Pushes.text(openid, now, msgId, text), StandardCharsets.UTF_8))
                    .build(), HttpResponse.BodyHandlers.ofString());
            boolean ok = r.statusCode() == 200 && (r.body().startsWith("<xml>") || r.body().equals("success"));
            return ok ? Optional.of(r.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // refused (a killed replica), reset or timed out: WeChat tries again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
