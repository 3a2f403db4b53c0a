package cn.shegong.admin.api;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import cn.shegong.core.audit.AuditLog;
import cn.shegong.core.casework.Areas;
import cn.shegong.core.casework.Category;
import cn.shegong.core.households.CareCategories;
import cn.shegong.core.households.HouseholdStore;
import cn.shegong.core.households.Monitoring;
import cn.shegong.core.households.VisitSearch;
import cn.shegong.core.staff.StaffStore;
import cn.shegong.core.staff.Worker;

import io.helidon.common.parameters.Parameters;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The lists behind the visit figures (走访清单: a period, an area, a category and a state — the
 * dashboard's bars and the report's numbers open it), and the Excel files of visits, monitoring
 * flags and workers. All within the account's area; names masked as in the registry list.
 */
public final class ListsApi implements HttpService {

    private static final ZoneId BAOSHAN = ZoneId.of("Asia/Shanghai");

    private final VisitSearch visits;
    private final Monitoring monitoring;
    private final HouseholdStore households;
    private final StaffStore staff;
    private final Areas areas;
    private final CareCategories care;
    private final Function<Category, String> skill;
    private final XlsxExport export;
    private final AuditLog audit;
    private final Clock clock;

    public ListsApi(VisitSearch visits, Monitoring monitoring, HouseholdStore households, StaffStore staff, Areas areas,
                    CareCategories care, Function<Category, String> skill, AuditLog audit, Clock clock) {
        this.skill = skill;
        this.visits = visits;
        this.monitoring = monitoring;
        this.households = households;
        this.staff = staff;
        this.areas = areas;
        this.care = care;
        this.export = new XlsxExport(audit, clock);
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/api/visits", this::visitList)
                .get("/api/visits.xlsx", this::visitExcel)
                .get("/api/monitoring.xlsx", this::monitoringExcel)
                .get("/api/workers.xlsx", this::workerExcel);
    }

    private void visitList(ServerRequest req, ServerResponse res) {
        VisitSearch.Query q = visitQuery(req, Http.staffScope(req));
        VisitSearch.Page page = visits.search(q, today());
        XlsxExport.viewed(audit, clock, req, "visits");
        Http.json(res, Map.of("total", page.total(), "from", q.from().toString(), "to", q.to().toString(),
                "items", page.items().stream().map(r -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("code", r.visit().code());
                    m.put("householdId", r.visit().householdId());
                    m.put("name", r.visit().summary().maskedName());
                    m.put("category", care.label(r.visit().summary().category()));
                    m.put("place", place(r.visit().stationCode()) + Optional.ofNullable(r.visit().summary().village()).orElse(""));
                    m.put("worker", r.visit().workerId().flatMap(staff::worker).map(Worker::name).orElse(""));
                    m.put("due", r.visit().due().toString());
                    m.put("doneOn", r.visit().doneOn().map(LocalDate::toString).orElse(""));
                    m.put("state", r.state().name());
                    m.put("overdueDays", r.visit().doneOn().isEmpty() ? r.visit().overdueDays(today()) : 0);
                    return m;
                }).toList()));
    }

    private void visitExcel(ServerRequest req, ServerResponse res) {
        VisitSearch.Query q = visitQuery(req, Http.staffScope(req));
        export.send(req, res, "visits", wb -> visits.each(q, today(), r -> {
            var t = areas.byCode(r.visit().stationCode());
            wb.row(List.of(r.visit().code(), r.visit().summary().maskedName(), care.label(r.visit().summary().category()),
                    t.map(x -> x.county()).orElse(""), t.map(x -> x.name()).orElse(""),
                    Optional.ofNullable(r.visit().summary().village()).orElse(""),
                    r.visit().workerId().flatMap(staff::worker).map(Worker::name).orElse(""), r.visit().due().toString(),
                    r.visit().doneOn().map(LocalDate::toString).orElse(""), XlsxExport.word("exports.visits.states." + r.state().name())));
        }));
    }

    private void monitoringExcel(ServerRequest req, ServerResponse res) {
        Scope scope = Http.staffScope(req);
        Monitoring.Decision decision = req.query().first("decision").asOptional().flatMap(MonitoringApi::decision)
                .orElse(Monitoring.Decision.OPEN);
        export.send(req, res, "monitoring", wb -> monitoring.list(scope.county(), scope.township(), decision).forEach(f -> {
            var t = areas.byCode(f.townshipCode());
            wb.row(List.of(f.subject().householdId().flatMap(households::find).map(h -> h.maskedName()).orElse(""), f.subject().caseNumber(),
                    t.map(x -> x.county()).orElse(""), t.map(x -> x.name()).orElse(""),
                    String.join("、", f.signals().stream().map(monitoring::label).toList()), XlsxExport.MINUTE.format(f.createdAt()),
                    XlsxExport.word("exports.monitoring.decisions." + f.decision().name())));
        }));
    }

    private void workerExcel(ServerRequest req, ServerResponse res) {
        Scope scope = Http.staffScope(req);
        export.send(req, res, "workers", wb -> staff.stations(scope.county(), scope.township()).forEach(st ->
                staff.workers(st.code()).forEach(w -> wb.row(List.of(st.county(), st.township(), w.name(),
                        XlsxExport.word("exports.workers.roles." + w.role().name()),
                        String.join("、", w.skills().stream().map(skill).toList()), String.valueOf(staff.openCases(w.id())),
                        String.valueOf(w.capacity()), XlsxExport.word("exports.workers.active." + w.active()),
                        XlsxExport.word("exports.workers.bound." + w.openid().isPresent()))))));
    }

    private VisitSearch.Query visitQuery(ServerRequest req, Scope scope) {
        Parameters q = req.query();
        LocalDate[] period = FiguresApi.period(q.first("period").orElse(""), today());
        Optional<String> county = scope.county(q);
        Optional<String> township = scope.township(q);
        return new VisitSearch.Query(period[0], period[1], county, township,
                q.first("category").asOptional().filter(c -> care.byCode(c).isPresent()),
                q.first("state").asOptional().filter(s -> !s.isEmpty()).map(VisitSearch.State::valueOf),
                Http.page(q.first("page").orElse("0")), 20);
    }

    private String place(String townshipCode) {
        return areas.byCode(townshipCode).map(t -> t.county() + t.name()).orElse("");
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(BAOSHAN));
    }
}
