package cn.shegong.admin.api;

import java.time.Clock;
import java.util.Map;

import cn.shegong.admin.account.AccountStore;
import cn.shegong.admin.account.Passwords;
import cn.shegong.admin.account.Role;
import cn.shegong.core.audit.AuditLog;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.SetCookie;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Signing in and out of the console's JSON API under {@code /api/} (admin socket only), and the
 * filter in front of every other API route: a session cookie; for every state-changing request the
 * session's CSRF token in {@code X-CSRF-Token}; an account whose password someone else set must
 * change it first. Logins and password changes are audited; the auditor reads the audit log here.
 * Register it before the other API services.
 */
public final class AuthApi implements HttpService {

    static final String COOKIE = "SG_SESSION";

    private final AccountStore accounts;
    private final Sessions sessions;
    private final AuditLog audit;
    private final Clock clock;

    public AuthApi(AccountStore accounts, AuditLog audit, cn.shegong.core.storage.Redis redis, Clock clock) {
        this.accounts = accounts;
        this.sessions = new Sessions(redis, clock);
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
                .post("/api/password", this::changePassword)
                .get("/api/audit", this::auditLog);
    }

    // ---- sessions ---------------------------------------------------------------------------------

    private void login(ServerRequest req, ServerResponse res) {
        Map<String, Object> body = Http.body(req);
        String username = String.valueOf(body.getOrDefault("username", ""));
        var outcome = accounts.login(username, String.valueOf(body.getOrDefault("password", "")), clock.instant());
        switch (outcome) {
            case AccountStore.Login.Ok ok -> {
                Session s = sessions.open(ok.account());
                audit.record(clock.instant(), username, "login", "", Http.from(req));
                res.headers().addCookie(SetCookie.builder(COOKIE, s.id).path("/").httpOnly(true)
                        .sameSite(SetCookie.SameSite.STRICT).build());
                Http.json(res, me(s));
            }
            case AccountStore.Login.Locked locked -> {
                audit.record(clock.instant(), username, "login_locked", "", Http.from(req));
                throw new ApiException(423, "locked");
            }
            case AccountStore.Login.Wrong wrong -> {
                audit.record(clock.instant(), username, "login_failed", "", Http.from(req));
                throw new ApiException(401, "wrong_credentials");
            }
        }
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
                "mustChangePassword", s.mustChangePassword);
    }

    private void changePassword(ServerRequest req, ServerResponse res) {
        Session s = Http.session(req);
        Map<String, Object> body = Http.body(req);
        String next = String.valueOf(body.getOrDefault("next", ""));
        if (!accounts.verify(s.accountId, String.valueOf(body.getOrDefault("current", "")))) {
            throw new ApiException(403, "wrong_credentials");
        }
        if (next.length() < 10) {
            throw new ApiException(400, "password_too_short");
        }
        accounts.changePassword(s.accountId, next);
        s.mustChangePassword = false;
        sessions.save(s);
        audit.record(clock.instant(), s.username, "password_changed", "", Http.from(req));
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

    // ---- audit ------------------------------------------------------------------------------------

    private void auditLog(ServerRequest req, ServerResponse res) {
        Role role = Http.session(req).role;
        if (role != Role.AUDITOR && role != Role.CITY) {
            throw ApiException.notFound();
        }
        Http.json(res, Map.of("items", audit.latest(200).stream().map(e -> Map.of("at", e.at().toString(), "who", e.who(),
                "action", e.action(), "record", e.record(), "from", e.from())).toList()));
    }

    // ---- plumbing ---------------------------------------------------------------------------------

    /** The one place API refusals become HTTP answers: a status and a code, never a stack trace. */
    public void busy(ServerRequest req, ServerResponse res, Passwords.Busy e) {
        error(req, res, new ApiException(503, "busy"));
    }

    /** A query parameter or a value that does not parse (status=FOO, page=abc, a bad date): 400, never a stack trace. */
    public void malformed(ServerRequest req, ServerResponse res, RuntimeException e) {
        error(req, res, new ApiException(400, "bad_request"));
    }

    public void error(ServerRequest req, ServerResponse res, ApiException e) {
        res.status(Status.create(e.status()));
        Http.json(res, Map.of("error", e.code()));
    }
}
