package cn.shegong.admin.api;

import java.time.Clock;

import cn.shegong.admin.account.Role;
import cn.shegong.core.audit.AuditLog;
import cn.shegong.core.casework.Case;
import cn.shegong.core.casework.CaseStore;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /api/triage/corrections}: every case whose category or urgency staff corrected, as
 * training rows for {@code templates/triage/train/} ({@code category urgency text}, the corrected
 * labels and what the resident first wrote). For the city admin only, audited; phone-like numbers
 * are replaced by {@code #}, and the rows must still be read and anonymised before they are
 * committed (names and places can remain in what people wrote).
 */
public final class CorrectionsApi implements HttpService {

    private static final HttpMediaType TSV = HttpMediaType.create("text/tab-separated-values; charset=UTF-8");

    private final CaseStore cases;
    private final AuditLog audit;
    private final Clock clock;

    public CorrectionsApi(CaseStore cases, AuditLog audit, Clock clock) {
        this.cases = cases;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/api/triage/corrections", this::export);
    }

    private void export(ServerRequest req, ServerResponse res) {
        Session s = Http.session(req);
        if (s.role != Role.CITY) {
            throw ApiException.notFound();
        }
        StringBuilder tsv = new StringBuilder("category\turgency\ttext\n");
        for (Case c : cases.reclassified()) {
            tsv.append(c.category().code()).append('\t').append(c.urgent() ? "urgent" : "normal").append('\t')
                    .append(row(c.description())).append('\n');
        }
        audit.record(clock.instant(), s.username, "export_corrections", "", Http.from(req));
        res.headers().contentType(TSV);
        res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"triage-corrections.tsv\"");
        res.send(tsv.toString());
    }

    /** One line, no tabs, and no run of five or more digits (phone numbers, ID numbers). */
    public static String row(String text) {
        return text.replaceAll("[\\t\\r\\n]+", " ").replaceAll("[0-9０-９]{5,}", "#").strip();
    }
}
