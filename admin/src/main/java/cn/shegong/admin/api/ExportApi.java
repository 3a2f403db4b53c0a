package cn.shegong.admin.api;

import java.time.Clock;
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
import cn.shegong.core.staff.StaffStore;
import cn.shegong.core.staff.Worker;

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


    private final CaseStore cases;
    private final HouseholdStore households;
    private final StaffStore staff;
    private final CareCategories care;
    private final Function<Case, String> caseCategory;
    private final Function<Case, String> caseStatus;
    private final XlsxExport export;

    public ExportApi(CaseStore cases, HouseholdStore households, StaffStore staff, CareCategories care, Function<Case, String> caseCategory,
                     Function<Case, String> caseStatus, AuditLog audit, Clock clock) {
        this.cases = cases;
        this.households = households;
        this.staff = staff;
        this.care = care;
        this.caseCategory = caseCategory;
        this.caseStatus = caseStatus;
        this.export = new XlsxExport(audit, clock);
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
        String yes = XlsxExport.word("exports.urgent_mark");
        export.send(req, res, "cases", wb -> cases.searching().each(q, c -> wb.row(List.of(c.number(), caseCategory.apply(c), c.urgent() ? yes : "",
                c.township().map(t -> t.county()).orElse(""), c.township().map(t -> t.name()).orElse(""), caseStatus.apply(c),
                XlsxExport.MINUTE.format(c.createdAt()), c.assignee().orElse(""),
                c.name().map(n -> full ? n : HouseholdStore.masked(n)).orElse(""),
                c.phone().map(p -> full ? p : Phones.mask(p)).orElse("")))));
    }

    private void households(ServerRequest req, ServerResponse res) {
        Scope scope = Http.staffScope(req);
        HouseholdStore.Query q = HouseholdApi.query(req, scope, care);
        boolean full = scope.seesContactDetails();
        export.send(req, res, "households", wb -> households.each(q, h -> {
            Household.Member head = h.head();
            List<String> categories = new ArrayList<>(h.categories().keySet().stream().map(care::label).toList());
            wb.row(List.of(full ? head.name() : h.maskedName(), head.idNumber().map(n -> full ? n : IdNumbers.mask(n)).orElse(""),
                    head.phone().map(p -> full ? p : Phones.mask(p)).orElse(""), h.countyCode(), h.townshipCode(), h.village(),
                    String.join("、", categories), XlsxExport.word("exports.risk." + h.risk().name()),
                    h.workerId().flatMap(staff::worker).map(Worker::name).orElse(""), XlsxExport.word("exports.household_status." + h.status().name())));
        }));
    }
}
