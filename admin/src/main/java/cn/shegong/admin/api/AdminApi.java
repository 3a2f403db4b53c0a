package cn.shegong.admin.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.admin.account.AccountStore;
import cn.shegong.admin.account.Role;
import cn.shegong.admin.audit.AuditLog;
import cn.shegong.core.casework.Case;
import cn.shegong.core.casework.CaseEvents;
import cn.shegong.core.casework.CaseStore;
import cn.shegong.core.casework.Category;
import cn.shegong.core.message.MessageStore;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Method;
import io.helidon.http.SetCookie;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The console's JSON API under {@code /api/} (admin socket only). Every request but login needs a
 * session cookie; every state-changing request needs the session's CSRF token in
 * {@code X-CSRF-Token}; an account whose password someone else set must change it first. Cases
 * outside the account's area are 404. Changes, logins and views of sensitive cases are audited.
 */
public final class AdminApi implements HttpService {

    static final String COOKIE = "SG_SESSION";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AccountStore accounts;
    private final Sessions sessions;
    private final AuditLog audit;
    private final CaseStore cases;
    private final MessageStore messages;
    private final CaseEvents residents;
    private final Clock clock;

    public AdminApi(AccountStore accounts, AuditLog audit, CaseStore cases, MessageStore messages, CaseEvents residents,
                    cn.shegong.core.storage.Redis redis, Clock clock) {
        this.accounts = accounts;
        this.sessions = new Sessions(redis, clock);
        this.audit = audit;
        this.cases = cases;
        this.messages = messages;
        this.residents = residents;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/api/login", this::login)
                .any("/api/*", this::authenticate)
                .post("/api/logout", this::logout)
                .get("/api/me", this::me)
                .post("/api/password", this::changePassword)
                .get("/api/cases", this::listCases)
                .get("/api/cases/{id}", this::getCase)
                .post("/api/cases/{id}/assign", this::assign)
                .post("/api/cases/{id}/close", this::close)
                .get("/api/audit", this::auditLog);
    }

    // ---- sessions ---------------------------------------------------------------------------------

    private void login(ServerRequest req, ServerResponse res) {
        Map<String, Object> body = body(req);
        String username = String.valueOf(body.getOrDefault("username", ""));
        var outcome = accounts.login(username, String.valueOf(body.getOrDefault("password", "")), clock.instant());
        switch (outcome) {
            case AccountStore.Login.Ok ok -> {
                Session s = sessions.open(ok.account());
                audit.record(clock.instant(), username, "login", "", from(req));
                res.headers().addCookie(SetCookie.builder(COOKIE, s.id).path("/").httpOnly(true)
                        .sameSite(SetCookie.SameSite.STRICT).build());
                json(res, me(s));
            }
            case AccountStore.Login.Locked locked -> {
                audit.record(clock.instant(), username, "login_locked", "", from(req));
                throw new ApiException(423, "locked");
            }
            case AccountStore.Login.Wrong wrong -> {
                audit.record(clock.instant(), username, "login_failed", "", from(req));
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

    private static Session session(ServerRequest req) {
        return req.context().get(Session.class).orElseThrow(() -> new ApiException(401, "not_signed_in"));
    }

    private void logout(ServerRequest req, ServerResponse res) {
        sessions.close(session(req).id);
        res.status(Status.NO_CONTENT_204).send();
    }

    private void me(ServerRequest req, ServerResponse res) {
        json(res, me(session(req)));
    }

    private static Map<String, Object> me(Session s) {
        return Map.of("username", s.username, "role", s.role.name(), "area", s.areaCode, "csrf", s.csrf,
                "mustChangePassword", s.mustChangePassword);
    }

    private void changePassword(ServerRequest req, ServerResponse res) {
        Session s = session(req);
        Map<String, Object> body = body(req);
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
        audit.record(clock.instant(), s.username, "password_changed", "", from(req));
        json(res, me(s));
    }

    // ---- cases ------------------------------------------------------------------------------------

    private void listCases(ServerRequest req, ServerResponse res) {
        Scope scope = session(req).scope();
        if (scope.role() == Role.AUDITOR) {
            throw ApiException.notFound();
        }
        var q = req.query();
        String search = q.first("q").orElse("").strip();
        List<Case.Status> statuses = q.first("status").map(st -> List.of(Case.Status.valueOf(st)))
                .orElse(List.of(Case.Status.NEW, Case.Status.ASSIGNED, Case.Status.IN_PROGRESS));
        var page = cases.search(new CaseStore.Query(scope.county(), scope.township(), statuses,
                q.first("category").flatMap(Category::fromCode), q.first("urgent").map(Boolean::parseBoolean),
                search.startsWith("BS") ? Optional.of(search) : Optional.empty(),
                search.matches("[0-9-]{7,}") ? Optional.of(search) : Optional.empty(),
                Integer.parseInt(q.first("page").orElse("0")), 20));
        json(res, Map.of("total", page.total(), "items", page.items().stream().map(c -> summary(c, scope)).toList()));
    }

    private void getCase(ServerRequest req, ServerResponse res) {
        Session s = session(req);
        Case c = visible(s, req.path().pathParameters().get("id"));
        if (c.category() == Category.MENTAL || c.category() == Category.CHILDREN || c.urgent()) {
            audit.record(clock.instant(), s.username, "view_sensitive_case", c.number(), from(req));
        }
        Map<String, Object> view = summary(c, s.scope());
        view.put("timeline", c.timeline().stream().map(e -> Map.of("at", e.at().toString(), "kind", e.kind(), "note", e.note())).toList());
        boolean full = s.scope().seesContactDetails();
        view.put("transcript", messages.forCase(c.id()).stream().map(m -> Map.of("direction", m.direction().name(),
                "type", m.type(), "content", full ? m.content() : maskPhones(m.content()), "at", m.storedAt().toString())).toList());
        view.put("description", full ? c.description() : maskPhones(c.description()));
        c.rating().ifPresent(r -> view.put("rating", r));
        c.ratingComment().ifPresent(r -> view.put("comment", r));
        json(res, view);
    }

    private void assign(ServerRequest req, ServerResponse res) {
        Session s = session(req);
        Case c = visible(s, req.path().pathParameters().get("id"));
        int version = ((Number) body(req).getOrDefault("version", -1)).intValue();
        String station = c.township().map(t -> t.code()).orElseThrow(() -> new ApiException(409, "no_township"));
        if (!cases.assign(c.id(), version, station, s.username, clock.instant())) {
            throw new ApiException(409, "changed_by_someone_else");
        }
        audit.record(clock.instant(), s.username, "assign", c.number(), from(req));
        residents.assigned(c, c.township().get().name());
        json(res, summary(cases.find(c.id()).orElseThrow(), s.scope()));
    }

    private void close(ServerRequest req, ServerResponse res) {
        Session s = session(req);
        Case c = visible(s, req.path().pathParameters().get("id"));
        Map<String, Object> body = body(req);
        int version = ((Number) body.getOrDefault("version", -1)).intValue();
        String summary = String.valueOf(body.getOrDefault("summary", "")).strip();
        if (!cases.changeStatus(c.id(), version, Case.Status.CLOSED, "closed", s.username, clock.instant())) {
            throw new ApiException(409, "changed_by_someone_else");
        }
        audit.record(clock.instant(), s.username, "close", c.number(), from(req));
        residents.closed(c, summary);
        json(res, summary(cases.find(c.id()).orElseThrow(), s.scope()));
    }

    private Case visible(Session s, String id) {
        return cases.find(id).filter(s.scope()::covers).orElseThrow(ApiException::notFound);
    }

    private static Map<String, Object> summary(Case c, Scope scope) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("number", c.number());
        m.put("category", c.category().code());
        m.put("urgent", c.urgent());
        m.put("status", c.status().name());
        m.put("county", c.township().map(t -> t.county()).orElse(""));
        m.put("township", c.township().map(t -> t.name()).orElse(""));
        m.put("name", c.name().map(n -> scope.seesContactDetails() ? n : n.charAt(0) + "*").orElse(""));
        m.put("phone", c.phone().map(p -> scope.seesContactDetails() ? p : mask(p)).orElse(""));
        m.put("contactRequested", c.contactRequested());
        m.put("createdAt", c.createdAt().toString());
        m.put("version", c.version());
        return m;
    }

    private static final java.util.regex.Pattern PHONES = java.util.regex.Pattern.compile("(?<!\\d)(1[3-9]\\d|0\\d{2,3}-?)\\d{4,5}(\\d{4})(?!\\d)");

    /** Phone numbers inside free text (what residents wrote) shown as 138****1234 to roles that see masked contacts. */
    static String maskPhones(String text) {
        return PHONES.matcher(text).replaceAll(m -> m.group(1).replace("-", "").substring(0, 3) + "****" + m.group(2));
    }

    static String mask(String phone) {
        String digits = phone.replace("-", "");
        return digits.length() <= 7 ? "****" : digits.substring(0, 3) + "****" + digits.substring(digits.length() - 4);
    }

    // ---- audit ------------------------------------------------------------------------------------

    private void auditLog(ServerRequest req, ServerResponse res) {
        Role role = session(req).role;
        if (role != Role.AUDITOR && role != Role.CITY) {
            throw ApiException.notFound();
        }
        json(res, Map.of("items", audit.latest(200).stream().map(e -> Map.of("at", e.at().toString(), "who", e.who(),
                "action", e.action(), "record", e.record(), "from", e.from())).toList()));
    }

    // ---- plumbing ---------------------------------------------------------------------------------

    /** The one place API refusals become HTTP answers: a status and a code, never a stack trace. */
    public void error(ServerRequest req, ServerResponse res, ApiException e) {
        res.status(Status.create(e.status()));
        json(res, Map.of("error", e.code()));
    }

    private static String from(ServerRequest req) {
        return req.headers().first(HeaderNames.X_FORWARDED_FOR).orElse(req.remotePeer().host());
    }

    private static Map<String, Object> body(ServerRequest req) {
        try (InputStream in = req.content().inputStream()) {
            byte[] bytes = in.readNBytes(64 * 1024);
            return bytes.length == 0 ? Map.of() : JSON.readValue(bytes, Map.class);
        } catch (IOException e) {
            throw new ApiException(400, "malformed_json");
        }
    }

    private static void json(ServerResponse res, Object value) {
        try {
            res.headers().contentType(HttpMediaType.create("application/json; charset=UTF-8"));
            res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
            res.send(JSON.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
