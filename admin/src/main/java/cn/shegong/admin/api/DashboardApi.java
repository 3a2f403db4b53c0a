package cn.shegong.admin.api;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import cn.shegong.core.casework.Areas;
import cn.shegong.core.households.CareCategories;
import cn.shegong.core.households.Monitoring;
import cn.shegong.core.households.RegistrySnapshot;
import cn.shegong.core.report.DashboardFigures;
import cn.shegong.core.time.Kept;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The dashboard's figures, within the account's area, summed from every township's counts read in
 * one pass and kept briefly ({@link Kept}): today's requests (new, waiting for a worker,
 * urgent, past a deadline), deadlines missed this week, requests by week and category, this
 * quarter's visit compliance by county, households in care by category (from a snapshot of every
 * township, at most five minutes old: {@link RegistrySnapshot}), monitoring flags waiting,
 * satisfaction. Figures only: every role but the auditor.
 */
public final class DashboardApi implements HttpService {

    private static final ZoneId BAOSHAN = ZoneId.of("Asia/Shanghai");

    private final Kept<LocalDate, Map<String, DashboardFigures.Counts>> requests;
    private final RegistrySnapshot registry;
    private final Monitoring monitoring;
    private final CareCategories care;
    private final Areas areas;
    private final Function<String, String> caseCategory;
    private final Clock clock;

    public DashboardApi(Kept<LocalDate, Map<String, DashboardFigures.Counts>> requests, RegistrySnapshot registry, Monitoring monitoring, CareCategories care, Areas areas,
                        Function<String, String> caseCategory, Clock clock) {
        this.requests = requests;
        this.registry = registry;
        this.monitoring = monitoring;
        this.care = care;
        this.areas = areas;
        this.caseCategory = caseCategory;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/api/dashboard", this::get);
    }

    private void get(ServerRequest req, ServerResponse res) {
        Scope scope = Http.staffScope(req);
        LocalDate today = LocalDate.now(clock.withZone(BAOSHAN));
        Optional<String> county = scope.county();
        Optional<String> township = scope.township();
        Kept.Value<Map<String, DashboardFigures.Counts>> byTownship = requests.get(today);
        DashboardFigures.Today t = DashboardFigures.sum(byTownship.value(), county, township, today);
        LocalDate[] quarter = FiguresApi.period("", today);
        RegistrySnapshot.Snapshot r = registry.of(quarter[0], quarter[1], today);
        Map<String, Integer> inCare = r.inCare(county, township);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("today", Map.of("new", t.newToday(), "waiting", t.waiting(), "urgent", t.urgentOpen(), "overdue", t.overdueOpen(),
                "missedThisWeek", t.missedThisWeek(), "date", today.toString()));
        out.put("weeks", t.weeks().entrySet().stream().map(e -> {
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("monday", e.getKey().toString());
            Map<String, Integer> byCategory = new LinkedHashMap<>();
            e.getValue().forEach((code, n) -> byCategory.put(code, n));
            w.put("categories", byCategory);
            return w;
        }).toList());
        Map<String, String> labels = new LinkedHashMap<>();
        t.weeks().values().forEach(m -> m.keySet().forEach(code -> labels.put(code, caseCategory.apply(code))));
        out.put("categoryLabels", labels);
        out.put("quarter", Map.of("from", quarter[0].toString(), "to", quarter[1].toString()));
        out.put("registryAt", r.at().toString()); // visits and households: at most RegistrySnapshot.FRESH old
        out.put("requestsAt", byTownship.at().toString()); // requests: at most a few seconds old (ConsoleRoutes)
        out.put("visitsByCounty", r.visitsByCounty(county, township).entrySet().stream().map(e -> Map.of(
                        "county", e.getKey(), "name", countyName(e.getKey()), "due", e.getValue().due(), "onTime", e.getValue().onTime(),
                        "late", e.getValue().late(), "missed", e.getValue().missed(), "open", e.getValue().open())).toList());
        out.put("inCare", care.all().stream().filter(k -> inCare.getOrDefault(k.code(), 0) > 0)
                .map(k -> Map.of("code", k.code(), "label", k.label(), "households", inCare.get(k.code()))).toList());
        out.put("monitoringFlagsOpen", monitoring.list(county, township, Monitoring.Decision.OPEN).size());
        out.put("ratings", t.ratings());
        out.put("averageRating", t.averageRating().map(a -> Math.round(a * 10) / 10.0).orElse(null));
        Http.json(res, out);
    }

    private String countyName(String code) {
        return areas.townships().stream().filter(x -> x.countyCode().equals(code)).findFirst().map(Areas.Township::county).orElse(code);
    }

}
