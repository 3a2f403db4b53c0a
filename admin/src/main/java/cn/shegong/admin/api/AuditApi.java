package cn.shegong.admin.api;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.admin.account.Role;
import cn.shegong.core.audit.AuditLog;

import io.helidon.common.parameters.Parameters;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The audit log for the auditor and the city: filtered by user, action, record and days, a page at
 * a time, and as an Excel file (itself audited). Nobody else sees it.
 */
public final class AuditApi implements HttpService {

    private static final ZoneId BAOSHAN = ZoneId.of("Asia/Shanghai");
    private static final int PAGE = 50;

    private static final Map<String, String> ACTIONS = XlsxExport.words("exports.audit.actions");

    private final AuditLog audit;
    private final XlsxExport export;

    public AuditApi(AuditLog audit, Clock clock) {
        this.audit = audit;
        this.export = new XlsxExport(audit, clock);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/api/audit", this::list)
                .get("/api/audit.xlsx", this::excel);
    }

    private void list(ServerRequest req, ServerResponse res) {
        allowed(req);
        int page = Http.page(req.query().first("page").orElse("0"));
        AuditLog.Page p = audit.page(query(req.query()), page, PAGE);
        Http.json(res, Map.of("total", p.total(), "pageSize", PAGE, "actions", ACTIONS, "items", p.items().stream().map(e -> Map.of("at", e.at().toString(),
                "who", e.who(), "action", e.action(),
                "label", XlsxExport.word("exports.audit.actions." + e.action(), e.action()), "record", e.record(), "from", e.from())).toList()));
    }

    private void excel(ServerRequest req, ServerResponse res) {
        allowed(req);
        AuditLog.Query q = query(req.query());
        export.send(req, res, "audit", wb -> audit.each(q, e -> wb.row(List.of(XlsxExport.MINUTE.format(e.at()), e.who(),
                XlsxExport.word("exports.audit.actions." + e.action(), e.action()), e.record(), e.from()))));
    }

    private static void allowed(ServerRequest req) {
        Role role = Http.session(req).role;
        if (role != Role.AUDITOR && role != Role.CITY) {
            throw ApiException.notFound();
        }
    }

    static AuditLog.Query query(Parameters q) {
        return new AuditLog.Query(text(q, "who"), text(q, "action"), text(q, "record"),
                text(q, "from").map(d -> LocalDate.parse(d).atStartOfDay(BAOSHAN).toInstant()),
                text(q, "to").map(d -> LocalDate.parse(d).atStartOfDay(BAOSHAN).toInstant().plus(Duration.ofDays(1))));
    }

    private static Optional<String> text(Parameters q, String name) {
        return q.first(name).asOptional().map(String::strip).filter(v -> !v.isEmpty());
    }
}
