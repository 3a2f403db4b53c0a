package cn.shegong.admin.api;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Bounds what the console handles at once. On a one-CPU service every console request takes turns
 * on the same carrier threads as the webhook, so a flood at the console — password guessing, a
 * runaway script — would otherwise take most of the turns and make the people writing in wait
 * past WeChat's 5 seconds. Requests that check a password (sign-in, password change) get
 * {@link #CHECKS_AT_ONCE} places, as those checks run one at a time anyway ({@code Passwords});
 * everything else {@link #REQUESTS_AT_ONCE}, so guessing at the sign-in cannot lock signed-in
 * people out. The next wait, parked and first come first served, up to {@link #WAIT}, then get
 * 503: {@code busy} (the sign-in's "many people are signing in") or {@code console_busy}. A
 * handler that has only to wait before answering leaves its place first ({@link Place#leave}). Health
 * and metrics ({@code /observe}) pass untouched, so an orchestrator's probe never queues here.
 */
public final class ConsoleGate implements Filter {

    static final int CHECKS_AT_ONCE = 2;
    static final int REQUESTS_AT_ONCE = 6;
    static final Duration WAIT = Duration.ofSeconds(2);
    private static final Set<String> CHECKS_PASSWORD = Set.of("/api/login", "/api/password");

    private record Places(Semaphore free, String refusal) {
        Places(int n, String refusal) {
            this(new Semaphore(n, true), refusal);
        }
    }

    /** A request's place, in its context: a handler that has decided and only waits may leave it early. */
    static final class Place {
        private final Semaphore free;
        private final AtomicBoolean left = new AtomicBoolean();

        private Place(Semaphore free) {
            this.free = free;
        }

        void leave() {
            if (left.compareAndSet(false, true)) {
                free.release();
            }
        }
    }

    private final Places checks = new Places(CHECKS_AT_ONCE, "busy");
    private final Places requests = new Places(REQUESTS_AT_ONCE, "console_busy");

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        if (path.startsWith("/observe")) {
            chain.proceed();
            return;
        }
        Places places = CHECKS_PASSWORD.contains(path) ? checks : requests;
        if (!enter(places.free())) {
            res.status(Status.SERVICE_UNAVAILABLE_503);
            Http.json(res, Map.of("error", places.refusal()));
            return;
        }
        Place place = new Place(places.free());
        req.context().register(place);
        try {
            chain.proceed();
        } finally {
            place.leave();
        }
    }

    private static boolean enter(Semaphore free) {
        try {
            return free.tryAcquire(WAIT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
