package cn.shegong.admin.api;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import cn.shegong.admin.account.AccountStore;
import cn.shegong.admin.account.PasswordPolicy;
import cn.shegong.admin.account.Passwords;
import cn.shegong.admin.account.Role;
import cn.shegong.core.audit.AuditLog;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.SetCookie;
import io.helidon.http.Status;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Signing in and out of the console's JSON API under {@code /api/} (admin socket only), and the
 * filter in front of every other API route: a session cookie; for every state-changing request the
 * session's CSRF token in {@code X-CSRF-Token}; an account whose password someone else set must
 * change it first. Logins and password changes are audited (the log is read through {@link AuditApi}): each
 * wrong password, the lock it brings and the first attempt refused while it lasts; later refusals
 * are only counted, so that guessing cannot fill the log.
 * Register it before the other API services.
 */
public final class AuthApi implements HttpService {

    static final String COOKIE = "SG_SESSION";
    static final Duration LOCKED_ANSWER_DELAY = Duration.ofSeconds(1);

    private final AccountStore accounts;
    private final Sessions sessions;
    private final LoginGuard guard;
    private final AuditLog audit;
    private final Clock clock;
    private final ConsoleGate gate;

    public AuthApi(AccountStore accounts, AuditLog audit, cn.shegong.core.storage.Redis redis, java.util.List<String> trustedProxies,
                   ConsoleGate gate, Clock clock) {
        this.gate = gate;
        Http.trustProxies(trustedProxies);
        this.accounts = accounts;
        this.sessions = new Sessions(redis, clock);
        this.guard = new LoginGuard(redis, clock);
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/api/login", this::login)
                .get("/api/openapi.yaml", this::openApi)
                .any("/api/*", this::authenticate)
                .post("/api/logout", this::logout)
                .get("/api/me", this::me)
                .post("/api/password", this::changePassword);
    }

    // ---- sessions ---------------------------------------------------------------------------------

    private void login(ServerRequest req, ServerResponse res) {
        Map<String, Object> body = Http.body(req);
        try (ConsoleGate.Place place = checkPlace()) {
            login(req, res, body, place);
        }
    }

    private void login(ServerRequest req, ServerResponse res, Map<String, Object> body, ConsoleGate.Place place) {
        String username = String.valueOf(body.getOrDefault("username", ""));
        String from = Http.from(req);
        if (guard.locked(username, from)) { // the first refusal of a lock is audited; each one would let a flood fill the log
            count("locked");
            if (guard.firstRefusal(username, from)) {
                audit.record(clock.instant(), username, "login_refused_locked", "", from);
            }
            holdRefusal(place);
            throw new ApiException(423, "locked");
        }
        var account = accounts.login(username, String.valueOf(body.getOrDefault("password", "")));
        if (account.isEmpty()) {
            boolean nowLocked = guard.failed(username, from);
            audit.record(clock.instant(), username, nowLocked ? "login_locked" : "login_failed", "", from);
            count(nowLocked ? "locked" : "wrong");
            throw nowLocked ? new ApiException(423, "locked") : new ApiException(401, "wrong_credentials");
        }
        count("signed_in");
        guard.succeeded(username, from);
        boolean expired = account.get().passwordChangedAt().plus(PasswordPolicy.MAX_AGE).isBefore(clock.instant());
        Session s = sessions.open(account.get(), expired);
        audit.record(clock.instant(), username, "login", "", from);
        res.headers().addCookie(SetCookie.builder(COOKIE, s.id).path("/").httpOnly(true).secure(Http.overTls(req))
                .sameSite(SetCookie.SameSite.STRICT).build());
        Http.json(res, me(s));
    }

    /**
     * A refusal while locked is cheap, so guessing from a locked address would otherwise come back
     * at once, thousands of times a second, each a turn on the carriers the webhook needs. The
     * answer is held {@link #LOCKED_ANSWER_DELAY}, parked, after leaving its place among the
     * password checks ({@link ConsoleGate}), so that nobody else's sign-in waits behind it.
     */
    private static void holdRefusal(ConsoleGate.Place place) {
        place.close();
        try {
            Thread.sleep(LOCKED_ANSWER_DELAY);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One of the console's few places for checking a password, or 503 {@code busy} after its wait. */
    private ConsoleGate.Place checkPlace() {
        return gate.checkPlace().orElseThrow(() -> {
            count("busy");
            return new ApiException(503, "busy");
        });
    }

    /** The filter in front of every /api/ route but login. */
    private void authenticate(ServerRequest req, ServerResponse res) {
        Session s = req.headers().cookies().first(COOKIE).flatMap(sessions::use)
                .orElseThrow(() -> new ApiException(401, "not_signed_in"));
        boolean changes = !req.prologue().method().equals(Method.GET) && !req.prologue().method().equals(Method.HEAD);
        if (changes && !s.csrf.equals(req.headers().first(HeaderNames.create("X-CSRF-Token")).orElse(""))) {
            throw new ApiException(403, "csrf");
        }
        String path = req.path().path();
        if (s.mustChangePassword && !path.equals("/api/password") && !path.equals("/api/me") && !path.equals("/api/logout")) {
            throw new ApiException(403, "password_change_required");
        }
        req.context().register(s);
        res.next();
    }

    private void logout(ServerRequest req, ServerResponse res) {
        sessions.close(Http.session(req).id);
        res.status(Status.NO_CONTENT_204).send();
    }

    private void me(ServerRequest req, ServerResponse res) {
        Http.json(res, me(Http.session(req)));
    }

    private static Map<String, Object> me(Session s) {
        return Map.of("username", s.username, "role", s.role.name(), "area", s.areaCode, "csrf", s.csrf,
                "mustChangePassword", s.mustChangePassword, "changeReason", s.changeReason == null ? "" : s.changeReason);
    }

    /**
     * A password change: the current password (guarded like a login — five wrong ones lock it and
     * end this session), the policy, none of the last five; then every other session of the account ends.
     */
    private void changePassword(ServerRequest req, ServerResponse res) {
        Session s = Http.session(req);
        Map<String, Object> body = Http.body(req);
        try (ConsoleGate.Place place = checkPlace()) {
            changePassword(res, s, body, Http.from(req));
        }
    }

    private void changePassword(ServerResponse res, Session s, Map<String, Object> body, String from) {
        String next = String.valueOf(body.getOrDefault("next", ""));
        if (guard.locked(s.username, from)) {
            sessions.close(s.id);
            throw new ApiException(423, "locked");
        }
        if (!accounts.verify(s.accountId, String.valueOf(body.getOrDefault("current", "")))) {
            if (guard.failed(s.username, from)) {
                audit.record(clock.instant(), s.username, "login_locked", "", from);
                sessions.close(s.id);
                throw new ApiException(423, "locked");
            }
            audit.record(clock.instant(), s.username, "login_failed", "", from);
            throw new ApiException(403, "wrong_credentials");
        }
        guard.succeeded(s.username, from);
        PasswordPolicy.problem(s.username, next).ifPresent(code -> {
            throw new ApiException(400, code);
        });
        if (accounts.changePassword(s.accountId, next, clock.instant()) == AccountStore.Change.REUSED) {
            throw new ApiException(400, "password_reused");
        }
        s.mustChangePassword = false;
        s.changeReason = "";
        sessions.save(s);
        sessions.closeOthers(s);
        audit.record(clock.instant(), s.username, "password_changed", "", from);
        Http.json(res, me(s));
    }

    private void openApi(ServerRequest req, ServerResponse res) {
        try (var in = AuthApi.class.getResourceAsStream("/openapi/openapi.yaml")) {
            res.headers().contentType(io.helidon.http.HttpMediaType.create("application/yaml; charset=UTF-8"));
            res.send(in.readAllBytes());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---- plumbing ---------------------------------------------------------------------------------

    /** The one place API refusals become HTTP answers: a status and a code, never a stack trace. */
    public void busy(ServerRequest req, ServerResponse res, Passwords.Busy e) {
        count("busy");
        error(req, res, new ApiException(503, "busy"));
    }

    /** A query parameter or a value that does not parse (status=FOO, page=abc, a bad date): 400, never a stack trace. */
    public void malformed(ServerRequest req, ServerResponse res, RuntimeException e) {
        error(req, res, new ApiException(400, "bad_request"));
    }

    /** Console sign-ins by outcome ({@code shegong_console_logins_total}): guessing shows here before anywhere else. */
    private static void count(String outcome) {
        Metrics.globalRegistry().getOrCreate(Counter.builder("shegong.console.logins").tags(List.of(Tag.create("outcome", outcome)))
                .description("Console sign-in attempts by outcome: signed_in, wrong, locked (a wrong password that began a lock, or an attempt refused while locked), busy (no place to check a password within 2 s, or the checks queued full)"))
                .increment();
    }

    public void error(ServerRequest req, ServerResponse res, ApiException e) {
        res.status(Status.create(e.status()));
        Http.json(res, Map.of("error", e.code()));
    }
}
