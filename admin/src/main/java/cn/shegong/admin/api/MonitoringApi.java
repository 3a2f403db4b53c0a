package cn.shegong.admin.api;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import cn.shegong.core.audit.AuditLog;
import cn.shegong.core.casework.Areas;
import cn.shegong.core.casework.Phones;
import cn.shegong.core.households.HouseholdStore;
import cn.shegong.core.households.Monitoring;
import cn.shegong.core.households.Registry;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The 动态监测 list: households (and residents' requests) flagged by risk signals, with the words
 * that raised them, within the account's area; each is reviewed once — dismissed, risk raised
 * (high risk, a visit within a day), enrolled as 低收入监测对象, or followed up in its request.
 * Quotes show phone numbers masked to all but the station; every review is audited.
 */
public final class MonitoringApi implements HttpService {

    /** The care category a reviewer enrols a flagged household in (templates/registry/care-categories.yaml). */
    static final String MONITORING_CATEGORY = "jiance";
    private static final ZoneId BAOSHAN = ZoneId.of("Asia/Shanghai");

    private final Monitoring monitoring;
    private final Registry registry;
    private final HouseholdStore households;
    private final Areas areas;
    private final AuditLog audit;
    private final Clock clock;

    public MonitoringApi(Monitoring monitoring, Registry registry, HouseholdStore households, Areas areas, AuditLog audit, Clock clock) {
        this.monitoring = monitoring;
        this.registry = registry;
        this.households = households;
        this.areas = areas;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/api/monitoring", this::list)
                .post("/api/monitoring/{id}/review", this::review);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Scope scope = Http.staffScope(req);
        Monitoring.Decision decision = req.query().first("decision").asOptional().flatMap(MonitoringApi::decision)
                .orElse(Monitoring.Decision.OPEN);
        XlsxExport.viewed(audit, clock, req, "monitoring");
        Http.json(res, Map.of("items", monitoring.list(scope.county(), scope.township(), decision).stream().map(f -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", f.id());
            m.put("householdId", f.subject().householdId().orElse(""));
            m.put("name", f.subject().householdId().flatMap(households::find).map(h -> h.maskedName()).orElse(""));
            m.put("caseId", f.subject().caseId().orElse(""));
            m.put("caseNumber", f.subject().caseNumber());
            m.put("place", areas.byCode(f.townshipCode()).map(t -> t.county() + t.name()).orElse(""));
            m.put("signals", f.signals().stream().map(monitoring::label).toList());
            m.put("evidence", f.evidence().stream().map(e -> Map.of("source", e.source(), "at", e.at().toString(),
                    "quote", scope.seesContactDetails() ? e.quote() : Phones.maskAll(e.quote()))).toList());
            m.put("createdAt", f.createdAt().toString());
            m.put("decision", f.decision().name());
            return m;
        }).toList()));
    }

    private void review(ServerRequest req, ServerResponse res) {
        Scope scope = Http.staffScope(req);
        Monitoring.Flag flag = monitoring.find(req.path().pathParameters().get("id"))
                .filter(f -> scope.coversTownship(f.townshipCode()))
                .orElseThrow(ApiException::notFound);
        Monitoring.Decision decision = decision(Http.text(Http.body(req), "decision")).filter(d -> d != Monitoring.Decision.OPEN)
                .orElseThrow(() -> new ApiException(400, "no_such_decision"));
        Optional<String> household = flag.subject().householdId();
        boolean needsHousehold = decision == Monitoring.Decision.RISK_RAISED || decision == Monitoring.Decision.ENROLLED;
        if (needsHousehold && household.isEmpty()) {
            throw new ApiException(400, "not_in_registry");
        }
        String by = Http.session(req).username;
        if (!monitoring.review(flag.id(), decision, by, clock.instant())) {
            throw new ApiException(409, "already_reviewed");
        }
        LocalDate today = LocalDate.now(clock.withZone(BAOSHAN));
        if (decision == Monitoring.Decision.RISK_RAISED) {
            registry.raiseRisk(household.orElseThrow(), today, by, clock.instant());
        } else if (decision == Monitoring.Decision.ENROLLED) {
            registry.enrolIn(household.orElseThrow(), MONITORING_CATEGORY, today, by, clock.instant());
        }
        audit.record(clock.instant(), by, "review_monitoring_" + decision.name().toLowerCase(), flag.id(), Http.from(req));
        Http.json(res, Map.of("id", flag.id(), "decision", decision.name()));
    }

    static Optional<Monitoring.Decision> decision(String s) {
        return java.util.Arrays.stream(Monitoring.Decision.values()).filter(d -> d.name().equals(s)).findFirst();
    }
}
