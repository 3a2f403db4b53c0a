package cn.shegong.admin.api;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import cn.shegong.core.audit.AuditLog;
import cn.shegong.core.casework.Case;
import cn.shegong.core.casework.CaseSearch;
import cn.shegong.core.casework.CaseStore;
import cn.shegong.core.casework.Phones;
import cn.shegong.core.households.CareCategories;
import cn.shegong.core.households.Household;
import cn.shegong.core.households.HouseholdStore;
import cn.shegong.core.households.IdNumbers;
import cn.shegong.core.report.ListWorkbook;
import cn.shegong.core.staff.StaffStore;
import cn.shegong.core.staff.Worker;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The inbox and the household list as Excel files: the filters the page shows, one row per record,
 * masked as the role requires (names, ID numbers and phones in full for the station only),
 * streamed to the browser, and audited.
 */
public final class ExportApi implements HttpService {

    private static final HttpMediaType XLSX = HttpMediaType.create("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.of("Asia/Shanghai"));

    private final CaseStore cases;
    private final HouseholdStore households;
    private final StaffStore staff;
    private final CareCategories care;
    private final Function<Case, String> caseCategory;
    private final Function<Case, String> caseStatus;
    private final AuditLog audit;
    private final Clock clock;
    private final Config labels = Config.just(ConfigSources.classpath("report/report.yaml"));

    public ExportApi(CaseStore cases, HouseholdStore households, StaffStore staff, CareCategories care, Function<Case, String> caseCategory,
                     Function<Case, String> caseStatus, AuditLog audit, Clock clock) {
        this.cases = cases;
        this.households = households;
        this.staff = staff;
        this.care = care;
        this.caseCategory = caseCategory;
        this.caseStatus = caseStatus;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/api/cases.xlsx", this::cases)
                .get("/api/households.xlsx", this::households);
    }

    private void cases(ServerRequest req, ServerResponse res) {
        Scope scope = Http.staffScope(req);
        CaseSearch.Query q = CaseApi.query(req, scope);
        boolean full = scope.seesContactDetails();
        String yes = word("exports.urgent_mark");
        send(req, res, "cases", wb -> cases.searching().each(q, c -> wb.row(List.of(c.number(), caseCategory.apply(c), c.urgent() ? yes : "",
                c.township().map(t -> t.county()).orElse(""), c.township().map(t -> t.name()).orElse(""), caseStatus.apply(c),
                MINUTE.format(c.createdAt()), c.assignee().orElse(""),
                c.name().map(n -> full ? n : HouseholdStore.masked(n)).orElse(""),
                c.phone().map(p -> full ? p : Phones.mask(p)).orElse("")))));
    }

    private void households(ServerRequest req, ServerResponse res) {
        Scope scope = Http.staffScope(req);
        HouseholdStore.Query q = HouseholdApi.query(req, scope, care);
        boolean full = scope.seesContactDetails();
        send(req, res, "households", wb -> households.each(q, h -> {
            Household.Member head = h.head();
            List<String> categories = new ArrayList<>(h.categories().keySet().stream().map(care::label).toList());
            wb.row(List.of(full ? head.name() : h.maskedName(), head.idNumber().map(n -> full ? n : IdNumbers.mask(n)).orElse(""),
                    head.phone().map(p -> full ? p : Phones.mask(p)).orElse(""), h.countyCode(), h.townshipCode(), h.village(),
                    String.join("、", categories), word("exports.risk." + h.risk().name()),
                    h.workerId().flatMap(staff::worker).map(Worker::name).orElse(""), word("exports.household_status." + h.status().name())));
        }));
    }

    private void send(ServerRequest req, ServerResponse res, String list, java.util.function.Consumer<ListWorkbook> rows) {
        String filters = req.query().toMap().entrySet().stream().filter(e -> !e.getKey().equals("page"))
                .map(e -> e.getKey() + "=" + String.join(",", e.getValue())).reduce((a, b) -> a + "；" + b).orElse(word("exports.none"));
        audit.record(clock.instant(), Http.session(req).username, "export_" + list, filters, Http.from(req));
        res.headers().contentType(XLSX);
        res.headers().set(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + list + ".xlsx\"");
        res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
        try (OutputStream out = res.outputStream();
             ListWorkbook wb = new ListWorkbook(out, word("exports." + list + ".title"), List.of(word("exports.filters") + filters,
                     word("exported") + MINUTE.format(clock.instant())), labels.get("exports." + list + ".headings").asList(String.class).get())) {
            rows.accept(wb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String word(String key) {
        return labels.get(key).asString().get();
    }
}
