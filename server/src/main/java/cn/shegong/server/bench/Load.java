package cn.shegong.server.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import cn.shegong.bot.wechat.WxSignature;
import cn.shegong.fakewechat.Pushes;

/**
 * The load generator: signed text pushes as WeChat sends them, each with a 5-second timeout (WeChat
 * gives up then). A request counts as answered when it gets 200 with a reply or {@code success}
 * within those 5 seconds; anything else is an error.
 */
public final class Load {

    static final Duration WECHAT_WAIT = Duration.ofSeconds(5);

    /** {@code errorKinds}: what went wrong, counted (a timeout, an HTTP status, a refused connection…). */
    public record Result(String name, int requests, Map<String, Long> errorKinds, double seconds, long[] latenciesNanos) {
        public long errors() {
            return errorKinds.values().stream().mapToLong(Long::longValue).sum();
        }

        /** The same, with {@code n} more errors of {@code kind}: the service's own count of something the answer did not show. */
        Result withError(String kind, long n) {
            Map<String, Long> kinds = new HashMap<>(errorKinds);
            kinds.merge(kind, n, Long::sum);
            return new Result(name, requests, Map.copyOf(kinds), seconds, latenciesNanos);
        }

        double perSecond() {
            return requests / seconds;
        }

        double percentileMillis(double p) {
            long[] sorted = latenciesNanos.clone();
            Arrays.sort(sorted);
            return sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(p / 100 * sorted.length) - 1))] / 1e6;
        }
    }

    private final HttpClient http;
    private final URI base;
    private final String appId;
    private final String token;
    private final AtomicLong msgIds = new AtomicLong(System.currentTimeMillis() * 1000);
    private final int[] sentPerOpenid;
    private final String openidPrefix;
    private final Consumer<String> wechatNotes;
    /** The people whose push was answered with the reply itself (not {@code success}). */
    private final Set<String> repliedInline = ConcurrentHashMap.newKeySet();

    /** {@code wechatNotes}: told each sender before their push, as WeChat knows who follows and who just wrote. */
    public Load(HttpClient http, URI base, String appId, String token, int openids, String openidPrefix, Consumer<String> wechatNotes) {
        this.http = http;
        this.wechatNotes = wechatNotes;
        this.base = base;
        this.appId = appId;
        this.token = token;
        this.sentPerOpenid = new int[openids];
        this.openidPrefix = openidPrefix;
    }

    /** {@code requests} pushes from a fixed number of connections, each sending one after another. */
    public Result run(String name, Mix mix, int requests, int concurrency) throws Exception {
        AtomicInteger next = new AtomicInteger();
        Map<String, Long> errors = new ConcurrentHashMap<>();
        long[] latencies = new long[requests];
        long start = System.nanoTime();
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                running.add(workers.submit(() -> {
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        long t0 = System.nanoTime();
                        post(i, mix).ifPresent(kind -> errors.merge(kind, 1L, Long::sum));
                        latencies[i] = System.nanoTime() - t0;
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        }
        return new Result(name, requests, Map.copyOf(errors), (System.nanoTime() - start) / 1e9, latencies);
    }

    /** {@code n} pushes released at the same instant, each on its own connection. */
    public Result burst(String name, Mix mix, int n) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        Map<String, Long> errors = new ConcurrentHashMap<>();
        long[] latencies = new long[n];
        long start;
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int request = i;
                running.add(workers.submit(() -> {
                    go.await();
                    long t0 = System.nanoTime();
                    post(request, mix).ifPresent(kind -> errors.merge(kind, 1L, Long::sum));
                    latencies[request] = System.nanoTime() - t0;
                    return null;
                }));
            }
            start = System.nanoTime();
            go.countDown();
            for (Future<?> f : running) {
                f.get();
            }
        }
        return new Result(name, n, Map.copyOf(errors), (System.nanoTime() - start) / 1e9, latencies);
    }

    /** Who of {@code prefix}0 … {@code openids - 1} has not had a reply in the answer to their push (so far). */
    public List<String> notRepliedInline() {
        List<String> waiting = new ArrayList<>();
        for (int who = 0; who < sentPerOpenid.length; who++) {
            if (!repliedInline.contains(openidPrefix + who)) {
                waiting.add(openidPrefix + who);
            }
        }
        return waiting;
    }

    /** Empty when answered as WeChat requires, else what went wrong. */
    private Optional<String> post(int request, Mix mix) {
        int who = request % sentPerOpenid.length;
        int n;
        synchronized (sentPerOpenid) {
            n = sentPerOpenid[who]++;
        }
        String openid = openidPrefix + who;
        wechatNotes.accept(openid);
        long msgId = msgIds.incrementAndGet();
        long now = System.currentTimeMillis() / 1000;
        String timestamp = Long.toString(now);
        String nonce = Long.toString(msgId % 1_000_000_007L);
        URI uri = URI.create(base + "/wx/portal/" + appId + "?signature=" + WxSignature.sign(token, timestamp, nonce)
                + "&timestamp=" + timestamp + "&nonce=" + nonce + "&openid=" + openid);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(WECHAT_WAIT)
                    .POST(HttpRequest.BodyPublishers.ofString(Pushes.text(openid, now, msgId, mix.message(n)), StandardCharsets.UTF_8))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.of("HTTP " + response.statusCode());
            }
            if (response.body().startsWith("<xml>")) {
                repliedInline.add(openid);
            }
            boolean answered = response.body().startsWith("<xml>") || response.body().equals("success");
            return answered ? Optional.empty() : Optional.of("an unexpected body");
        } catch (HttpTimeoutException e) {
            return Optional.of("no answer within 5 s");
        } catch (IOException e) {
            return Optional.of(e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }
}
