package cn.shegong.admin.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import cn.shegong.core.audit.AuditLog;
import cn.shegong.core.casework.Areas;
import cn.shegong.core.report.MonthlyReport;
import cn.shegong.core.report.ReportWorkbook;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The report for a period ({@code 2026-11}, {@code 2026-Q4}, {@code 2026}; the current quarter by
 * default) and an area within the account's: as JSON tables for the console, and as an Excel file
 * (audited). Figures only — no names, phones or ID numbers — so every role but the auditor may see it.
 */
public final class ReportApi implements HttpService {

    private static final ZoneId BAOSHAN = ZoneId.of("Asia/Shanghai");
    private static final HttpMediaType XLSX = HttpMediaType.create("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

    private final MonthlyReport reports;
    private final Areas areas;
    private final AuditLog audit;
    private final Clock clock;

    public ReportApi(MonthlyReport reports, Areas areas, AuditLog audit, Clock clock) {
        this.reports = reports;
        this.areas = areas;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/api/report", this::json)
                .get("/api/report.xlsx", this::excel);
    }

    private MonthlyReport.Report report(ServerRequest req) {
        Scope scope = Http.staffScope(req);
        LocalDate today = LocalDate.now(clock.withZone(BAOSHAN));
        LocalDate[] period = FiguresApi.period(req.query().first("period").orElse(""), today);
        Optional<String> county = scope.county(req.query());
        Optional<String> township = scope.township(req.query());
        String name = township.flatMap(areas::byCode).map(t -> t.county() + t.name())
                .or(() -> county.flatMap(c -> areas.townships().stream().filter(t -> t.countyCode().equals(c)).findFirst()).map(Areas.Township::county))
                .orElse("");
        return reports.of(period[0], period[1], county, township, name, today, clock.instant());
    }

    private void json(ServerRequest req, ServerResponse res) {
        MonthlyReport.Report r = report(req);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("title", r.title());
        out.put("from", r.from().toString());
        out.put("to", r.to().toString());
        out.put("area", r.area());
        out.put("at", r.at().toString());
        out.put("tables", r.tables().stream().map(t -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", t.key());
            m.put("title", t.title());
            m.put("headings", t.headings());
            m.put("rows", t.rows());
            m.put("codes", t.codes());
            t.total().ifPresent(x -> m.put("total", x));
            return m;
        }).toList());
        Http.json(res, out);
    }

    private void excel(ServerRequest req, ServerResponse res) {
        MonthlyReport.Report r = report(req);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ReportWorkbook.write(r, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        audit.record(clock.instant(), Http.session(req).username, "export_report", r.from() + "~" + r.to(), Http.from(req));
        ConsoleGate.leave(req); // only bytes to move now, at the browser's pace
        res.headers().contentType(XLSX);
        res.headers().set(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"report-" + r.from() + "-" + r.to() + ".xlsx\"");
        res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(bytes.toByteArray());
    }
}
