package cn.shegong.server;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import cn.shegong.core.storage.Mongo;
import cn.shegong.server.bench.Deliveries;
import cn.shegong.server.bench.Mix;
import cn.shegong.server.bench.Signals;

/**
 * {@code ./shegong fault-check}: the faults the operator on call is woken for, one after another,
 * under a steady load of residents on two replicas (the cluster check's processes): MongoDB paused,
 * Redis paused, Redis killed and started again, one replica killed with {@code kill -9} and started
 * again. It counts what WeChat sent, what was answered, stored, stored twice and lost (answered but
 * never stored), and how health answered meanwhile.
 */
final class FaultCheck {

    /** A resident sends at most one message every this long: well inside the 30-a-minute limit. */
    static final Duration PACE = Duration.ofSeconds(3);
    private static final Duration SETTLE = Duration.ofSeconds(5);
    private static final Duration DRAIN = Duration.ofMinutes(3);

    record Report(int residents, Duration outage, Deliveries.Tally wechat, List<Long> lost, int stored, int storedTwice,
                  int healthChecks, List<String> healthUnanswered, Duration took) {

        boolean passed() {
            return lost.isEmpty() && storedTwice == 0 && stored == wechat.answered() && healthUnanswered.isEmpty();
        }

        List<String> lines() {
            return List.of(
                    String.format("  pushes   %d sent by %d residents, %d answered within 5 s (%d retries), %d never answered",
                            wechat.sent(), residents, wechat.answered(), wechat.retries(), wechat.sent() - wechat.answered()),
                    String.format("  stored   %d, %d twice, %d answered but lost %s", stored, storedTwice, lost.size(),
                            lost.isEmpty() ? "" : lost.subList(0, Math.min(10, lost.size()))),
                    String.format("  health   %d checks of the surviving replica, %d unanswered within 2 s %s", healthChecks,
                            healthUnanswered.size(), healthUnanswered.isEmpty() ? "" : "(after: " + healthUnanswered + ")"),
                    String.format("  took     %d s (outages of %d s)   %s", took.toSeconds(), outage.toSeconds(), passed() ? "PASSED" : "FAILED"));
        }
    }

    private FaultCheck() {
    }

    static int run(List<String> args, PrintStream out) throws Exception {
        int residents = 100;
        int outage = 30;
        for (int i = 0; i < args.size(); i += 2) {
            String value = i + 1 < args.size() ? args.get(i + 1) : "";
            if (args.get(i).equals("--residents") && value.matches("\\d{1,4}") && Integer.parseInt(value) > 0) {
                residents = Integer.parseInt(value);
            } else if (args.get(i).equals("--outage") && value.matches("\\d{1,3}") && Integer.parseInt(value) > 0) {
                outage = Integer.parseInt(value);
            } else {
                System.err.println("usage: ./shegong fault-check [--residents N] [--outage SECONDS]   (default 100 residents, 30 s)");
                return 2;
            }
        }
        Path dir = Files.createTempDirectory("shegong-faults-");
        out.println("Fault check in " + dir + " (logs of every process are kept there)");
        long t0 = System.nanoTime();
        Report report = check(dir, residents, Duration.ofSeconds(outage),
                line -> out.printf("  %4d s  %s%n", (System.nanoTime() - t0) / 1_000_000_000L, line));
        report.lines().forEach(out::println);
        return report.passed() ? 0 : 1;
    }

    static Report check(Path dir, int residents, Duration outage, Consumer<String> say) throws Exception {
        long start = System.nanoTime();
        try (Cluster cluster = Cluster.start(dir, 2);
             HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
             Mongo store = cluster.store()) {
            Deliveries wechat = new Deliveries(http, cluster.webhooks(), Cluster.APP_ID, Cluster.TOKEN);
            AtomicInteger checks = new AtomicInteger();
            List<String> unanswered = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.util.concurrent.atomic.AtomicReference<String> phase = new java.util.concurrent.atomic.AtomicReference<>("start");
            Consumer<String> step = line -> {
                phase.set(line);
                say.accept(line);
            };
            try (Load load = new Load(cluster, wechat, residents);
                 Health health = new Health(http, cluster, checks, () -> unanswered.add(phase.get()))) {
                step.accept("two replicas under load");
                Thread.sleep(SETTLE);
                cluster.mongo().pause();
                step.accept("MongoDB paused");
                Thread.sleep(outage);
                cluster.mongo().resume();
                step.accept("MongoDB answers again");
                Thread.sleep(SETTLE);
                long redisPid = cluster.redis().embeddedPid().orElseThrow();
                Signals.send("STOP", redisPid);
                step.accept("Redis paused");
                Thread.sleep(outage);
                Signals.send("CONT", redisPid);
                step.accept("Redis answers again");
                Thread.sleep(SETTLE);
                Signals.send("KILL", redisPid);
                step.accept("Redis killed");
                Thread.sleep(SETTLE);
                cluster.redis().restartIfDead();
                step.accept("Redis started again (append-only file kept)");
                Thread.sleep(SETTLE);
                cluster.replica(1).kill();
                step.accept("replica 2 killed with kill -9");
                Thread.sleep(SETTLE);
                wechat.replica(1, cluster.restart(1).uri());
                step.accept("replica 2 started again");
                Thread.sleep(SETTLE);
            }
            say.accept("load stopped; waiting for the backlog to drain");
            Deliveries.Tally tally = wechat.tally();
            awaitStored(store, tally);
            var stored = ClusterCounts.storedByMsgId(store.database());
            return new Report(residents, outage, tally, ClusterCounts.lost(stored, tally.answeredIds()), stored.size(),
                    (int) stored.values().stream().filter(n -> n > 1).count(), checks.get(), List.copyOf(unanswered),
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private static void awaitStored(Mongo store, Deliveries.Tally tally) throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (System.nanoTime() < deadline && ClusterCounts.lost(store.database(), tally.answeredIds()).size() > 0) {
            Thread.sleep(1000); // the backlog drains on the replicas: poll the shared store
        }
    }

    /** Each resident a virtual thread, sending the bench's day of messages in order, one every {@link #PACE}, until closed. */
    private static final class Load implements AutoCloseable {
        private final List<Thread> residents = new ArrayList<>();
        private volatile boolean running = true;

        Load(Cluster cluster, Deliveries wechat, int count) {
            List<String> script = Mix.realistic().script();
            AtomicLong first = new AtomicLong();
            for (int r = 0; r < count; r++) {
                String openid = ClusterCounts.OPENID_PREFIX + r;
                cluster.wechat().follow(openid);
                long base = 6_000_000_000L + r * 100_000L;
                residents.add(Thread.ofVirtual().start(() -> {
                    for (int n = 0; running; n++) {
                        long sentAt = System.nanoTime();
                        cluster.wechat().interact(openid);
                        wechat.deliver(openid, base + n, script.get(n % script.size()), (int) (first.incrementAndGet() % 2));
                        pace(sentAt);
                    }
                }));
            }
        }

        private void pace(long sentAt) {
            long left = PACE.toNanos() - (System.nanoTime() - sentAt);
            if (left > 0 && running) {
                try {
                    Thread.sleep(Duration.ofNanos(left)); // a person typing, not a synchronisation
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            for (Thread t : residents) {
                t.join(Duration.ofSeconds(30));
            }
        }
    }

    /** Asks the replica that is never killed for its health twice a second; counts checks and those not answered within 2 s. */
    private static final class Health implements AutoCloseable {
        private final Thread poller;
        private volatile boolean running = true;

        Health(HttpClient http, Cluster cluster, AtomicInteger checks, Runnable unanswered) {
            poller = Thread.ofVirtual().start(() -> {
                while (running) {
                    checks.incrementAndGet();
                    if (cluster.replica(0).health(http) == 0) {
                        unanswered.run();
                    }
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            poller.interrupt();
            poller.join();
        }
    }
}
