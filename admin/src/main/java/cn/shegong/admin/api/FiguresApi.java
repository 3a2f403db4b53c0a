package cn.shegong.admin.api;

import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cn.shegong.core.households.CareCategories;
import cn.shegong.core.households.Monitoring;
import cn.shegong.core.households.RegistryFigures;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The registry's figures as JSON for a period — {@code 2026-11} (a month), {@code 2026-Q4} (a
 * quarter) or {@code 2026} (a year); the current quarter by default — and an area within the
 * account's: visits due, on time, late, missed and still open by category; households in care and
 * newly enrolled by category (低收入监测对象 among them); monitoring flags waiting for review. The dashboard and the monthly report are built on it.
 */
public final class FiguresApi implements HttpService {

    private static final Pattern PERIOD = Pattern.compile("(\\d{4})(?:-(?:(\\d{2})|Q([1-4])))?");
    private static final ZoneId BAOSHAN = ZoneId.of("Asia/Shanghai");

    private final RegistryFigures figures;
    private final Monitoring monitoring;
    private final CareCategories categories;
    private final Clock clock;

    public FiguresApi(RegistryFigures figures, Monitoring monitoring, CareCategories categories, Clock clock) {
        this.figures = figures;
        this.monitoring = monitoring;
        this.categories = categories;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/api/figures/registry", this::registry);
    }

    private void registry(ServerRequest req, ServerResponse res) {
        Scope scope = Http.staffScope(req);
        LocalDate today = LocalDate.now(clock.withZone(BAOSHAN));
        LocalDate[] period = period(req.query().first("period").orElse(""), today);
        Optional<String> county = scope.county(req.query());
        Optional<String> township = scope.township(req.query());
        RegistryFigures.Figures f = figures.of(period[0], period[1], county, township, today);
        Map<String, Object> visits = new LinkedHashMap<>();
        f.visits().forEach((code, v) -> visits.put(code.equals(RegistryFigures.ALL) ? "all" : categories.label(code), Map.of(
                "due", v.due(), "onTime", v.onTime(), "late", v.late(), "missed", v.missed(), "open", v.open())));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("from", f.from().toString());
        out.put("to", f.to().toString());
        out.put("visits", visits);
        out.put("inCare", labelled(f.inCare()));
        out.put("newlyEnrolled", labelled(f.newlyEnrolled()));
        out.put("households", f.households());
        out.put("monitoringFlagsOpen", monitoring.list(county, township, Monitoring.Decision.OPEN).size());
        Http.json(res, out);
    }

    private Map<String, Integer> labelled(Map<String, Integer> byCode) {
        Map<String, Integer> out = new LinkedHashMap<>();
        byCode.forEach((code, n) -> out.put(categories.label(code), n));
        return out;
    }

    /** First and last day of the period asked for; the current quarter when none (or a malformed one) is given. */
    static LocalDate[] period(String text, LocalDate today) {
        Matcher m = PERIOD.matcher(text.strip());
        if (!m.matches()) {
            LocalDate start = today.withDayOfMonth(1).withMonth((today.getMonthValue() - 1) / 3 * 3 + 1);
            return new LocalDate[] {start, start.plusMonths(3).minusDays(1)};
        }
        int year = Integer.parseInt(m.group(1));
        if (m.group(2) != null) {
            int month = Integer.parseInt(m.group(2));
            if (month < 1 || month > 12) {
                throw new ApiException(400, "bad_date");
            }
            YearMonth ym = YearMonth.of(year, month);
            return new LocalDate[] {ym.atDay(1), ym.atEndOfMonth()};
        }
        if (m.group(3) != null) {
            LocalDate start = LocalDate.of(year, (Integer.parseInt(m.group(3)) - 1) * 3 + 1, 1);
            return new LocalDate[] {start, start.plusMonths(3).minusDays(1)};
        }
        return new LocalDate[] {LocalDate.of(year, 1, 1), LocalDate.of(year, 12, 31)};
    }
}
