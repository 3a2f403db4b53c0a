package cn.shegong.server.bench;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Polls a service's health in the background (every half second, as an orchestrator would, unless told); reports how many answered and the slowest. */
public final class HealthWatch {
    private final AtomicInteger ok = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicLong slowest = new AtomicLong();
    private volatile boolean running = true;
    private Thread thread;

    public static HealthWatch start(ChildService service, HttpClient http) {
        return start(service, http, Duration.ofMillis(500));
    }

    public static HealthWatch start(ChildService service, HttpClient http, Duration interval) {
        HealthWatch w = new HealthWatch();
        w.thread = Thread.ofVirtual().start(() -> {
            while (w.running) {
                long t0 = System.nanoTime();
                (service.health(http) == 200 ? w.ok : w.failed).incrementAndGet();
                w.slowest.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
                try {
                    Thread.sleep(interval); // a probe's interval
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        return w;
    }

    /** Stops after the probe in flight; what it saw, for a report. */
    public String stop() throws InterruptedException {
        running = false;
        thread.join();
        return ok.get() + " answered, " + failed.get() + " failed, slowest " + slowest.get() + " ms";
    }

    /** Probes not answered 200 within 2 seconds. */
    public int failed() {
        return failed.get();
    }
}
