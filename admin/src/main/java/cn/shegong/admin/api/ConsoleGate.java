package cn.shegong.admin.api;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;

/**
 * Bounds what the console handles at once. On a one-CPU service every console request takes turns
 * on the same carrier threads as the webhook, so a flood at the console — password guessing, a
 * runaway script — would otherwise take most of the turns and make the people writing in wait
 * past WeChat's 5 seconds. As a filter, at most {@link #REQUESTS_AT_ONCE} requests at once; the
 * next wait, parked and first come first served, up to {@link #WAIT}, then get 503 {@code
 * console_busy} (counted: {@code shegong_console_refused_total}). Password checks (sign-in,
 * password change) are not held here but take one of {@link #CHECKS_AT_ONCE} places of their own
 * once their small body is read ({@link #checkPlace}), so guessing cannot hold the places of other
 * requests, nor a body sent slowly a place at all. Health and metrics ({@code /observe}) pass
 * untouched, so an orchestrator's probe never queues here. A request that has only to wait or to
 * move bytes leaves its place ({@link #leave}): a held refusal, an upload, an export, a photo.
 */
public final class ConsoleGate implements Filter {

    static final int REQUESTS_AT_ONCE = 6;
    static final int CHECKS_AT_ONCE = 2;
    static final Duration WAIT = Duration.ofSeconds(2);
    private static final Set<String> CHECKS_PASSWORD = Set.of("/api/login", "/api/password");

    /** A request's place; leaving it twice gives it back once. */
    static final class Place implements AutoCloseable {
        private final Semaphore free;
        private final AtomicBoolean left = new AtomicBoolean();

        private Place(Semaphore free) {
            this.free = free;
        }

        @Override
        public void close() {
            if (left.compareAndSet(false, true)) {
                free.release();
            }
        }
    }

    private final Semaphore requests = new Semaphore(REQUESTS_AT_ONCE, true);
    private final Semaphore checks = new Semaphore(CHECKS_AT_ONCE, true);

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        if (path.startsWith("/observe") || CHECKS_PASSWORD.contains(path)) {
            chain.proceed();
            return;
        }
        Optional<Place> entered = enter(requests);
        if (entered.isEmpty()) {
            Metrics.globalRegistry().getOrCreate(Counter.builder("shegong.console.refused")
                    .description("Console requests refused because as many as the console handles at once were in hand for 2 s")).increment();
            res.status(Status.SERVICE_UNAVAILABLE_503);
            res.header(HeaderNames.RETRY_AFTER, "2");
            Http.json(res, Map.of("error", "console_busy"));
            return;
        }
        try (Place place = entered.get()) {
            req.context().register(place);
            chain.proceed();
        }
    }

    /** A place to check a password in, or empty after {@link #WAIT}. */
    Optional<Place> checkPlace() {
        return enter(checks);
    }

    /**
     * The request only moves bytes from here on — an upload, an export, a photo, which may take
     * minutes on a slow link — so its place is given back to the others.
     */
    static void leave(ServerRequest req) {
        req.context().get(Place.class).ifPresent(Place::close);
    }

    private static Optional<Place> enter(Semaphore free) {
        try {
            return free.tryAcquire(WAIT.toNanos(), TimeUnit.NANOSECONDS) ? Optional.of(new Place(free)) : Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
