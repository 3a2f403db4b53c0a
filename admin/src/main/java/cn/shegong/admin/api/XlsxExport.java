package cn.shegong.admin.api;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Consumer;

import cn.shegong.core.audit.AuditLog;
import cn.shegong.core.report.ListWorkbook;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * A list as an Excel file, the same way for every list: audited first (who, which list, the
 * filters), then streamed row by row (formula-safe cells, see {@link ListWorkbook}) with the list's
 * title, the filters and the time of export above the headings from {@code report/report.yaml}.
 */
final class XlsxExport {

    static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.of("Asia/Shanghai"));
    private static final HttpMediaType XLSX = HttpMediaType.create("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    private static final Config LABELS = Config.just(ConfigSources.classpath("report/report.yaml"));

    private final AuditLog audit;
    private final Clock clock;

    XlsxExport(AuditLog audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    /** The filters of a list request as the audit log and the sheet show them (the YAML's word for none when there are none). */
    static String filters(ServerRequest req) {
        return req.query().toMap().entrySet().stream().filter(e -> !e.getKey().equals("page"))
                .map(e -> e.getKey() + "=" + String.join(",", e.getValue().stream().map(v -> masked(e.getKey(), v)).toList())).reduce((a, b) -> a + word("exports.separator") + b).orElse(word("exports.none"));
    }

    /** What a search was for, as the audit log may keep it: ID numbers and phones masked (the log is read by other roles). */
    private static String masked(String key, String value) {
        return key.equals("idNumber") ? cn.shegong.core.households.IdNumbers.mask(value) : cn.shegong.core.casework.Phones.maskAll(value);
    }

    /** A list of people in care, of their visits or of risk signals was looked at: who, which list, which filters. */
    static void viewed(AuditLog audit, Clock clock, ServerRequest req, String list) {
        audit.record(clock.instant(), Http.session(req).username, "view_" + list, filters(req), Http.from(req));
    }

    void send(ServerRequest req, ServerResponse res, String list, Consumer<ListWorkbook> rows) {
        String filters = filters(req);
        audit.record(clock.instant(), Http.session(req).username, "export_" + list, filters, Http.from(req));
        ConsoleGate.leave(req); // written as it is read, at the browser's pace
        res.headers().contentType(XLSX);
        res.headers().set(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + list + ".xlsx\"");
        res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
        try (OutputStream out = res.outputStream();
             ListWorkbook wb = new ListWorkbook(out, word("exports." + list + ".title"), List.of(word("exports.filters") + filters,
                     word("exported") + MINUTE.format(clock.instant())), LABELS.get("exports." + list + ".headings").asList(String.class).get())) {
            rows.accept(wb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String word(String key) {
        return LABELS.get(key).asString().get();
    }

    /** A map of labels (code → label) in the order of the YAML. */
    static java.util.Map<String, String> words(String key) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        LABELS.get(key).asNodeList().orElse(List.of()).forEach(n -> out.put(n.name(), n.asString().get()));
        return out;
    }

    /** A label, or {@code fallback} when the YAML has none (e.g. an audit action added later). */
    static String word(String key, String fallback) {
        return LABELS.get(key).asString().orElse(fallback);
    }
}
