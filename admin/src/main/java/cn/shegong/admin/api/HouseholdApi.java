package cn.shegong.admin.api;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.core.audit.AuditLog;
import cn.shegong.core.casework.Areas;
import cn.shegong.core.casework.Phones;
import cn.shegong.core.households.CareCategories;
import cn.shegong.core.households.Household;
import cn.shegong.core.households.HouseholdStore;
import cn.shegong.core.households.IdNumbers;
import cn.shegong.core.households.Registry;
import cn.shegong.core.households.Visit;
import cn.shegong.core.households.VisitPolicy;
import cn.shegong.core.staff.StaffStore;
import cn.shegong.core.staff.Worker;

import io.helidon.common.parameters.Parameters;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Households under care, within the account's area: the list (filters; an ID number finds one),
 * a household's page (members, plan, the rule that sets its visits, every visit, its history),
 * moving it to another worker (its open visits go along) and its exit from care. Names, ID numbers
 * and phones are shown in full to the station that visits the household, masked to others; every
 * opened page is in the audit log. The auditor sees none of it.
 */
public final class HouseholdApi implements HttpService {

    private static final ZoneId BAOSHAN = ZoneId.of("Asia/Shanghai");

    private final HouseholdStore households;
    private final Registry registry;
    private final StaffStore staff;
    private final Areas areas;
    private final CareCategories categories;
    private final VisitPolicy policy;
    private final AuditLog audit;
    private final Clock clock;

    public HouseholdApi(HouseholdStore households, Registry registry, StaffStore staff, Areas areas, CareCategories categories,
                        VisitPolicy policy, AuditLog audit, Clock clock) {
        this.households = households;
        this.registry = registry;
        this.staff = staff;
        this.areas = areas;
        this.categories = categories;
        this.policy = policy;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/api/registry/meta", this::meta)
                .get("/api/households", this::list)
                .get("/api/households/{id}", this::page)
                .put("/api/households/{id}/worker", this::move)
                .post("/api/households/{id}/exit", this::exit);
    }

    /** Categories, risk levels and the visit rules, as the console's filters and pages name them. */
    private void meta(ServerRequest req, ServerResponse res) {
        Http.staffScope(req);
        Http.json(res, Map.of("categories", categories.all().stream().map(c -> Map.of("code", c.code(), "label", c.label())).toList(),
                "rules", policy.rules().stream().map(r -> Map.of("name", r.name(), "every", r.every().toString(), "source", r.source())).toList()));
    }

    private void list(ServerRequest req, ServerResponse res) {
        Scope scope = Http.staffScope(req);
        var page = households.list(query(req, scope, categories));
        XlsxExport.viewed(audit, clock, req, "households");
        Http.json(res, Map.of("total", page.total(), "items", page.items().stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("name", r.maskedName());
            m.put("place", place(r.townshipCode()) + r.village());
            m.put("categories", r.categories().stream().map(categories::label).toList());
            m.put("risk", r.risk().name());
            m.put("worker", r.workerId().flatMap(staff::worker).map(Worker::name).orElse(""));
            m.put("status", r.status().name());
            m.put("nextVisit", r.nextVisit().flatMap(registry::visit).map(v -> v.due().toString()).orElse(""));
            return m;
        }).toList()));
    }

    /** The list's filters from the request, within the account's area (also what an export holds). */
    static HouseholdStore.Query query(ServerRequest req, Scope scope, CareCategories categories) {
        Parameters q = req.query();
        Optional<String> county = scope.county(q);
        Optional<String> township = scope.township(q);
        return new HouseholdStore.Query(county, township,
                q.first("category").asOptional().filter(c -> categories.byCode(c).isPresent()),
                q.first("risk").asOptional().flatMap(HouseholdApi::risk),
                q.first("status").asOptional().flatMap(HouseholdApi::status).or(() -> Optional.of(Household.Status.ACTIVE)),
                q.first("idNumber").asOptional().map(String::strip).filter(n -> !n.isEmpty()),
                Math.max(0, parse(q.first("page").orElse("0"))), 20);
    }

    private void page(ServerRequest req, ServerResponse res) {
        Scope scope = Http.staffScope(req);
        Household h = household(req, scope);
        audit.record(clock.instant(), Http.session(req).username, "view_household", h.id(), Http.from(req));
        Http.json(res, view(h, scope));
    }

    private void move(ServerRequest req, ServerResponse res) {
        Scope scope = Http.staffScope(req);
        Household h = household(req, scope);
        Worker w = staff.worker(Http.text(Http.body(req), "workerId")).filter(Worker::active)
                .filter(x -> scope.coversTownship(x.stationCode())).orElseThrow(() -> new ApiException(400, "no_such_worker"));
        registry.move(h.id(), w.id(), Http.session(req).username, clock.instant());
        audit.record(clock.instant(), Http.session(req).username, "move_household", h.id(), Http.from(req));
        Http.json(res, view(households.find(h.id()).orElseThrow(), scope));
    }

    private void exit(ServerRequest req, ServerResponse res) {
        Scope scope = Http.staffScope(req);
        Household h = household(req, scope);
        String reason = Http.text(Http.body(req), "reason");
        if (reason.isEmpty()) {
            throw new ApiException(400, "empty");
        }
        registry.exit(h.id(), reason, LocalDate.now(clock.withZone(BAOSHAN)), Http.session(req).username, clock.instant());
        audit.record(clock.instant(), Http.session(req).username, "exit_household", h.id(), Http.from(req));
        Http.json(res, view(households.find(h.id()).orElseThrow(), scope));
    }

    private Map<String, Object> view(Household h, Scope scope) {
        boolean full = scope.seesContactDetails();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", h.id());
        m.put("name", full ? h.head().name() : h.maskedName());
        m.put("members", h.members().stream().map(x -> Map.of("name", full ? x.name() : HouseholdStore.masked(x.name()),
                "idNumber", x.idNumber().map(n -> full ? n : IdNumbers.mask(n)).orElse(""),
                "phone", x.phone().map(p -> full ? p : Phones.mask(p)).orElse(""), "relation", x.relation())).toList());
        m.put("place", place(h.townshipCode()) + h.village());
        m.put("address", full ? h.address() : "");
        m.put("townshipCode", h.townshipCode());
        m.put("village", h.village());
        m.put("editable", full && h.status() == Household.Status.ACTIVE);
        m.put("categories", h.categories().entrySet().stream().map(e -> Map.of("label", categories.label(e.getKey()),
                "since", e.getValue().toString())).toList());
        m.put("risk", h.risk().name());
        m.put("plan", h.plan());
        m.put("status", h.status().name());
        m.put("exitReason", h.exitReason().orElse(""));
        m.put("worker", h.workerId().flatMap(staff::worker).map(w -> Map.of("id", w.id(), "name", w.name())).orElse(Map.of()));
        m.put("rule", registry.ruleFor(h).map(r -> Map.of("name", r.name(), "source", r.source())).orElse(Map.of()));
        m.put("workers", staff.workers(h.townshipCode()).stream().filter(Worker::active)
                .map(w -> Map.of("id", w.id(), "name", w.name())).toList());
        List<Visit> visits = registry.visitsOf(h.id());
        m.put("visits", visits.reversed().stream().map(v -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("code", v.code());
            x.put("due", v.due().toString());
            x.put("rule", v.rule());
            x.put("status", v.status().name());
            x.put("doneOn", v.doneOn().map(LocalDate::toString).orElse(""));
            x.put("note", v.note().orElse(""));
            x.put("by", v.doneBy().flatMap(staff::worker).map(Worker::name).orElse(v.doneBy().orElse("")));
            x.put("next", h.nextVisit().filter(v.code()::equals).isPresent());
            return x;
        }).toList());
        m.put("history", households.history(h.id()).stream().map(c -> Map.of("at", c.at().toString(), "what", c.what(), "by", c.by())).toList());
        m.put("version", h.version());
        return m;
    }

    private String place(String townshipCode) {
        return areas.byCode(townshipCode).map(t -> t.county() + t.name()).orElse("");
    }

    private Household household(ServerRequest req, Scope scope) {
        return households.find(req.path().pathParameters().get("id")).filter(h -> scope.coversTownship(h.townshipCode()))
                .orElseThrow(ApiException::notFound);
    }


    private static Optional<Household.Risk> risk(String s) {
        return java.util.Arrays.stream(Household.Risk.values()).filter(r -> r.name().equals(s)).findFirst();
    }

    private static Optional<Household.Status> status(String s) {
        return java.util.Arrays.stream(Household.Status.values()).filter(r -> r.name().equals(s)).findFirst();
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
