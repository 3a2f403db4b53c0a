package cn.shegong.admin.api;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import cn.shegong.admin.account.Role;
import cn.shegong.core.audit.AuditLog;
import cn.shegong.core.casework.Areas;
import cn.shegong.core.casework.Case;
import cn.shegong.core.casework.CaseEvents;
import cn.shegong.core.casework.CaseMerge;
import cn.shegong.core.casework.CaseStore;
import cn.shegong.core.casework.Category;
import cn.shegong.core.casework.Outcomes;
import cn.shegong.core.routing.Router;
import cn.shegong.core.routing.RoutingRules;
import cn.shegong.core.routing.RuleStore;
import cn.shegong.core.staff.UrgentAlerts;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Routing from the console: the rules in force (everyone may read them; the city admin edits them,
 * refused with the reason when they do not parse), a preview of which rule and worker would take a
 * request, setting the place of a request whose township was unknown (it is then routed at once),
 * acknowledging an urgent request's alert, merging a duplicate request into another, and the
 * outcomes a closed request can record.
 */
public final class RoutingApi implements HttpService {

    private final RuleStore rules;
    private final Router router;
    private final CaseStore cases;
    private final Areas areas;
    private final Outcomes outcomes;
    private final Consumer<String> route;
    private final UrgentAlerts alerts;
    private final CaseMerge merges;
    private final CaseEvents residents;
    private final java.util.function.BiFunction<String, String, String> mergedText;
    private final AuditLog audit;
    private final Clock clock;

    public RoutingApi(RuleStore rules, Router router, CaseStore cases, Areas areas, Outcomes outcomes, Consumer<String> route,
                      UrgentAlerts alerts, CaseMerge merges, CaseEvents residents,
                      java.util.function.BiFunction<String, String, String> mergedText, AuditLog audit, Clock clock) {
        this.alerts = alerts;
        this.merges = merges;
        this.residents = residents;
        this.mergedText = mergedText;
        this.rules = rules;
        this.router = router;
        this.cases = cases;
        this.areas = areas;
        this.outcomes = outcomes;
        this.route = route;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules r) {
        r.get("/api/routing/rules", this::get)
                .put("/api/routing/rules", this::save)
                .post("/api/routing/preview", this::preview)
                .post("/api/cases/{id}/place", this::place)
                .post("/api/cases/{id}/ack-alert", this::acknowledge)
                .post("/api/cases/{id}/merge", this::merge)
                .get("/api/outcomes", this::outcomes);
    }

    private void get(ServerRequest req, ServerResponse res) {
        Http.staffScope(req);
        RuleStore.Current c = rules.current();
        Http.json(res, Map.of("text", c.text(), "version", c.version(), "updatedBy", c.updatedBy(), "updatedAt", c.updatedAt().toString(),
                "editable", Http.session(req).scope().role() == Role.CITY));
    }

    private void save(ServerRequest req, ServerResponse res) {
        if (Http.staffScope(req).role() != Role.CITY) {
            throw new ApiException(403, "city_only");
        }
        Map<String, Object> body = Http.body(req);
        try {
            if (!rules.save(Http.text(body, "text"), Http.version(body), Http.session(req).username, clock.instant())) {
                throw new ApiException(409, "changed_by_someone_else");
            }
        } catch (IllegalArgumentException e) {
            Http.json(res.status(400), Map.of("error", "bad_rules", "reason", e.getMessage()));
            return;
        }
        audit.record(clock.instant(), Http.session(req).username, "edit_routing_rules", "routing_rules", Http.from(req));
        get(req, res);
    }

    /** Which rule (of the text being edited, or of those in force) and which worker would take a request like this. */
    private void preview(ServerRequest req, ServerResponse res) {
        Http.staffScope(req);
        Map<String, Object> body = Http.body(req);
        RoutingRules in;
        try {
            in = Http.text(body, "text").isEmpty() ? rules.current().rules() : RoutingRules.parse(Http.text(body, "text"));
        } catch (IllegalArgumentException e) {
            Http.json(res.status(400), Map.of("error", "bad_rules", "reason", e.getMessage()));
            return;
        }
        Category category = Category.fromCode(Http.text(body, "category")).orElse(Category.OTHER);
        Case sample = new Case("", "", "", category, Boolean.TRUE.equals(body.get("urgent")), Case.Status.NEW,
                areas.byCode(Http.text(body, "township")), Optional.empty(), Optional.empty(), "", false, clock.instant(), 0, List.of(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        Router.Decision d = router.preview(sample, in);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rule", d.rule().name());
        out.put("station", d.station().flatMap(areas::byCode).map(t -> t.county() + t.name()).orElse(""));
        out.put("worker", d.worker().map(w -> w.name()).orElse(""));
        out.put("why", d.why());
        Map<String, String> limits = new LinkedHashMap<>();
        d.rule().deadlines().forEach((step, limit) -> limits.put(step.name().toLowerCase(java.util.Locale.ROOT), limit.text()));
        out.put("deadlines", limits);
        Http.json(res, out);
    }

    private void place(ServerRequest req, ServerResponse res) {
        Session s = Http.session(req);
        Scope scope = Http.staffScope(req);
        Case c = cases.find(req.path().pathParameters().get("id")).filter(x -> visible(scope, x)).orElseThrow(ApiException::notFound);
        Map<String, Object> body = Http.body(req);
        Areas.Township t = areas.byCode(Http.text(body, "township")).filter(x -> scope.coversTownship(x.code()))
                .orElseThrow(() -> new ApiException(400, "no_such_township"));
        if (!cases.assignment().setPlace(c.id(), Http.version(body), t, s.username, clock.instant())) {
            throw new ApiException(409, "changed_by_someone_else");
        }
        audit.record(clock.instant(), s.username, "set_place", c.number(), Http.from(req));
        route.accept(c.id());
        Http.json(res, Map.of("id", c.id()));
    }

    /**
     * This request is a duplicate of another (given by its number): merged into it, and its resident
     * told once which number goes on.
     */
    private void merge(ServerRequest req, ServerResponse res) {
        Session s = Http.session(req);
        Scope scope = Http.staffScope(req);
        Case duplicate = cases.find(req.path().pathParameters().get("id")).filter(x -> visible(scope, x)).orElseThrow(ApiException::notFound);
        Map<String, Object> body = Http.body(req);
        Case into = cases.findByNumber(Http.text(body, "into").toUpperCase(java.util.Locale.ROOT)).filter(x -> visible(scope, x))
                .orElseThrow(() -> new ApiException(400, "no_such_case"));
        if (!merges.merge(duplicate, Http.version(body), into, s.username, clock.instant())) {
            throw new ApiException(409, "changed_by_someone_else");
        }
        residents.message(duplicate, mergedText.apply(duplicate.number(), into.number())); // to whoever asked the duplicate
        merges.moveTranscript(duplicate, into);
        audit.record(clock.instant(), s.username, "merge_case", duplicate.number() + ">" + into.number(), Http.from(req));
        Http.json(res, Map.of("id", into.id()));
    }

    private static boolean visible(Scope scope, Case c) {
        return c.township().isEmpty() ? scope.role() == Role.CITY : scope.covers(c);
    }

    /** Staff in the console saw an urgent request: its alert climbs no further. */
    private void acknowledge(ServerRequest req, ServerResponse res) {
        Session s = Http.session(req);
        Scope scope = Http.staffScope(req);
        Case c = cases.find(req.path().pathParameters().get("id")).filter(x -> visible(scope, x)).orElseThrow(ApiException::notFound);
        if (alerts.ack(c.id(), s.username, clock.instant())) {
            cases.addEvent(c.id(), "alert_acknowledged", s.username, clock.instant());
            audit.record(clock.instant(), s.username, "acknowledge_alert", c.number(), Http.from(req));
        }
        Http.json(res, Map.of("id", c.id()));
    }

    private void outcomes(ServerRequest req, ServerResponse res) {
        Http.staffScope(req);
        Http.json(res, Map.of("items", outcomes.all().stream().map(o -> Map.of("code", o.code(), "label", o.label(), "amount", o.amount()))
                .toList()));
    }
}
