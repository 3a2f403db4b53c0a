package cn.shegong.server;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import static cn.shegong.server.ClusterCounts.SENDS;

import cn.shegong.core.outbox.OutboxItem;
import cn.shegong.core.storage.Mongo;
import cn.shegong.core.storage.Redis;
import cn.shegong.server.bench.Deliveries;
import cn.shegong.server.bench.Mix;
import com.mongodb.client.model.Filters;

/**
 * {@code ./shegong cluster-check}: two replicas on one shared store, Redis and fake WeChat, as a
 * province runs them. Residents each send the bench's day of messages, every push to a replica at
 * random, a fifth of them retried on the other replica after their answer and one in twenty sent to
 * both at once (WeChat retrying while the first is still handled). In the first half the access
 * token is revoked under load; between the halves the morning's visit sweeps run on both replicas;
 * in the second half one replica is killed with {@code kill -9}. Then it waits for the outboxes to
 * drain and counts, from the store and the fake's recorded calls.
 */
final class ClusterCheck {

    static final String CLOCK_SHIFT = "SHEGONG_CLOCK_SHIFT";
    static final int MESSAGES_EACH = 10;
    static final int SENDERS = 16;
    private static final Duration WAIT = Duration.ofMinutes(3);
    /**
     * A replica's outbox sends one item at a time; killed between WeChat's answer and marking the
     * item sent, that item is sent again by the other replica once its lease lapses — WeChat's send
     * API has no idempotency key, and sending twice is better than never.
     */
    static final int IN_FLIGHT_AT_KILL = 1;

    /** What the check found. */
    record Report(int residents, Deliveries.Tally wechat, List<Long> lost, ClusterCounts counts, int tokenFetchesAfterRevoking,
                  Duration took) {

        boolean passed() {
            return lost.isEmpty() && counts.storedTwice() == 0 && wechat.retriesDiffering() == 0 && wechat.answered() == wechat.sent()
                    && counts.residentsByCases().size() == 1 && counts.outboxWaiting() == 0
                    && counts.sentTwice() >= 0 && counts.sentTwice() <= IN_FLIGHT_AT_KILL && counts.remindersClaimed() > 0
                    && counts.remindersClaimed() == counts.reminderNotices() && counts.reminderNotices() == counts.remindersSent()
                    && tokenFetchesAfterRevoking == 1;
        }

        List<String> lines() {
            return List.of(
                    String.format("  pushes     %d sent by %d residents, %d answered, %d retries (%d answered the same, %d differently)",
                            wechat.sent(), residents, wechat.answered(), wechat.retries(), wechat.retriesSame(), wechat.retriesDiffering()),
                    String.format("  stored     %d messages, %d twice, %d answered but lost %s", counts.storedMessages(), counts.storedTwice(),
                            lost.size(), lost.isEmpty() ? "" : "(MsgIds " + lost.subList(0, Math.min(10, lost.size())) + ")"),
                    "  cases      residents by number of cases opened: " + counts.residentsByCases(),
                    String.format("  outbox     %d items sent, %d still waiting; %d successful send calls: %d sent twice (at most %d: "
                                    + "the one in flight on the killed replica)", counts.outboxSent(), counts.outboxWaiting(), counts.sendCalls(),
                            counts.sentTwice(), IN_FLIGHT_AT_KILL),
                    String.format("  reminders  %d visit reminders claimed, %d queued, %d sent", counts.remindersClaimed(),
                            counts.reminderNotices(), counts.remindersSent()),
                    String.format("  token      %d fetches in all, %d after it was revoked under load", counts.tokenFetches(),
                            tokenFetchesAfterRevoking),
                    String.format("  took       %d s   %s", took.toSeconds(), passed() ? "PASSED" : "FAILED"));
        }
    }

    private ClusterCheck() {
    }

    static int run(List<String> args, PrintStream out) throws Exception {
        int residents = 200;
        if (args.size() == 2 && args.get(0).equals("--residents") && args.get(1).matches("\\d{1,5}") && Integer.parseInt(args.get(1)) >= 10) {
            residents = Integer.parseInt(args.get(1));
        } else if (!args.isEmpty()) {
            System.err.println("usage: ./shegong cluster-check [--residents N]   (N ≥ 10, default 200: 2,000 messages)");
            return 2;
        }
        Path dir = Files.createTempDirectory("shegong-cluster-");
        out.println("Cluster check in " + dir + " (logs of every process are kept there)");
        long t0 = System.nanoTime();
        Report report = check(dir, residents, line -> out.printf("  %4d s  %s%n", (System.nanoTime() - t0) / 1_000_000_000L, line));
        report.lines().forEach(out::println);
        return report.passed() ? 0 : 1;
    }

    static Report check(Path dir, int residents, Consumer<String> say) throws Exception {
        long start = System.nanoTime();
        try (Cluster cluster = Cluster.start(dir, 2);
             HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
             Mongo store = cluster.store()) {
            say.accept("two replicas ready on one store, Redis and fake WeChat");
            Deliveries wechat = new Deliveries(http, cluster.webhooks(), Cluster.APP_ID, Cluster.TOKEN);
            List<String> openids = IntStream.range(0, residents).mapToObj(i -> ClusterCounts.OPENID_PREFIX + i).toList();
            openids.forEach(cluster.wechat()::follow);
            int half = MESSAGES_EACH / 2;
            int[] tokensBefore = new int[1];
            converse(cluster, wechat, openids, 0, half, () -> {
                try { // revoked once the replicas hold a token
                    cluster.wechat().awaitCalls(calls -> calls.stream().anyMatch(c -> SENDS.contains(c.path()) && c.errcode() == 0),
                            Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                tokensBefore[0] = tokenFetches(cluster);
                cluster.wechat().invalidateTokens();
                say.accept("access token revoked under load");
            });
            LocalDate today = LocalDate.now(cluster.clock().withZone(ZoneId.of("Asia/Shanghai")));
            await(() -> store.database().getCollection("visit_sweeps").countDocuments(Filters.eq("_id", today.toString())) > 0,
                    "the morning's visit sweep");
            say.accept("first half sent; the visit sweeps ran");
            converse(cluster, wechat, openids, half, MESSAGES_EACH, () -> {
                try {
                    cluster.replica(1).kill();
                    say.accept("replica 2 killed with kill -9");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            say.accept("all sent; waiting for the backlog and the outbox to drain");
            await(() -> backlogEmpty(cluster.redis()), "the pushes kept for later to be handled");
            await(() -> store.database().getCollection("outbox").countDocuments(Filters.in("status",
                    OutboxItem.Status.PENDING.name(), OutboxItem.Status.SENDING.name())) == 0, "the outbox to drain");
            Deliveries.Tally tally = wechat.tally();
            ClusterCounts counts = ClusterCounts.read(store.database(), cluster.wechat().calls(), java.util.Set.copyOf(openids), today);
            return new Report(residents, tally, ClusterCounts.lost(store.database(), tally.answeredIds()), counts,
                    counts.tokenFetches() - tokensBefore[0], Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /**
     * Messages {@code from} (inclusive) to {@code to} of every resident's day, each resident in
     * order, {@link #SENDERS} residents at a time; {@code midway} runs once half of them are answered.
     */
    private static void converse(Cluster cluster, Deliveries wechat, List<String> openids, int from, int to, Runnable midway)
            throws Exception {
        List<String> script = Mix.realistic().script();
        int total = openids.size() * (to - from);
        CountDownLatch halfway = new CountDownLatch(total / 2);
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> conductor = senders.submit(() -> {
                halfway.await();
                midway.run();
                return null;
            });
            List<Future<?>> running = IntStream.range(0, SENDERS).<Future<?>>mapToObj(s -> senders.submit(() -> {
                for (int r = next.getAndIncrement(); r < openids.size(); r = next.getAndIncrement()) {
                    for (int n = from; n < to; n++) {
                        say(cluster, wechat, r, openids.get(r), n, script.get(n % script.size()));
                        halfway.countDown();
                    }
                }
                return null;
            })).toList();
            for (Future<?> f : running) {
                f.get();
            }
            conductor.get(30, TimeUnit.SECONDS);
        }
    }

    /** One message as WeChat sends it, sometimes retried after its answer or sent to both replicas at once. */
    private static void say(Cluster cluster, Deliveries wechat, int resident, String openid, int n, String text) throws Exception {
        long msgId = 7_000_000_000L + resident * 100L + n; // the demo's seeded requests use 9,000,000,000 on
        Random dice = new Random(msgId);
        int first = dice.nextInt(2);
        cluster.wechat().interact(openid);
        int roll = dice.nextInt(20);
        if (roll == 0) {
            wechat.race(openid, msgId, text);
            return;
        }
        var answer = wechat.deliver(openid, msgId, text, first);
        if (answer.isPresent() && roll <= 4) {
            wechat.retryAnswered(openid, msgId, text, first, answer.get());
        }
    }

    /** Nothing kept for later is waiting in the replicas' backlog, queued or in a replica's hands (the killed one's taken over). */
    private static boolean backlogEmpty(Redis redis) {
        String queue = Cluster.REPLICAS_REDIS_PREFIX + "wx:backlog";
        return redis.client().llen(queue) == 0
                && redis.client().keys(queue + ":working:*").stream().allMatch(k -> redis.client().llen(k) == 0);
    }

    private static int tokenFetches(Cluster cluster) {
        return (int) cluster.wechat().calls().stream().filter(c -> ClusterCounts.TOKENS.contains(c.path())).count();
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls the shared store once a second (it has no change feed here) until {@code condition}, at most {@link #WAIT}. */
    private static void await(Condition condition, String what) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting for " + what + " after " + WAIT.toMinutes() + " minutes");
            }
            Thread.sleep(1000);
        }
    }
}
