package cn.shegong.core.report;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.core.casework.Areas;
import cn.shegong.core.casework.Case;
import cn.shegong.core.casework.CaseStore;
import cn.shegong.core.casework.Category;
import cn.shegong.core.households.CareCategories;
import cn.shegong.core.households.Household;
import cn.shegong.core.households.HouseholdStore;
import cn.shegong.core.households.Monitoring;
import cn.shegong.core.households.Registry;
import cn.shegong.core.households.RegistryFigures;
import cn.shegong.core.households.RiskSignals;
import cn.shegong.core.households.VisitPolicy;
import cn.shegong.core.households.VisitStore;
import cn.shegong.core.storage.FieldCipher;
import cn.shegong.core.testing.TestMongo;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each figure of the report against a month built to give known numbers, and the same tables in Excel. */
class MonthlyReportTest {

    static final Areas AREAS = Areas.baoshan();
    @RegisterExtension
    static final TestMongo mongo = new TestMongo();

    @Test
    void aMonthsFiguresComeOutOfItsRecords() throws Exception {
        var db = mongo.fresh("report_test");
        FieldCipher cipher = new FieldCipher(new byte[32]);
        CaseStore cases = new CaseStore(db, cipher, AREAS);
        Instant nov2 = Instant.parse("2026-11-02T01:00:00Z"); // 09:00 in Baoshan
        // A 临时救助 request: assigned after 2 h, contacted after 4 h, closed after 10 h with 800 yuan, rated 5.
        Case a = open(cases, Category.LINSHI, false, "530521103", nov2);
        cases.assignment().assign(a.id(), 0, "530521103", Optional.of("w1"), Optional.of("赵"), nov2.plus(Duration.ofHours(2)));
        cases.forWorkers().recordContact(a.id(), "赵", nov2.plus(Duration.ofHours(4)));
        cases.changeStatus(a.id(), 1, Case.Status.CLOSED, "closed", "admin", nov2.plus(Duration.ofHours(10)));
        cases.recordOutcomes(a.id(), List.of(new CaseStore.Outcome("granted_linshi", Optional.of(800L)),
                new CaseStore.Outcome("resources", Optional.empty())));
        cases.rate(a.id(), 5, nov2.plus(Duration.ofHours(11)));
        // An urgent 低保 request: assigned after 4 h, a deadline missed, closed after 30 h granting 低保, rated 3.
        Case b = open(cases, Category.DIBAO, true, "530521103", nov2);
        cases.assignment().assign(b.id(), 0, "530521103", Optional.of("w1"), Optional.of("赵"), nov2.plus(Duration.ofHours(4)));
        cases.addEvent(b.id(), "deadline_missed", "first_contact", nov2.plus(Duration.ofHours(5)));
        cases.changeStatus(b.id(), 1, Case.Status.CLOSED, "closed", "admin", nov2.plus(Duration.ofHours(30)));
        cases.recordOutcomes(b.id(), List.of(new CaseStore.Outcome("granted_dibao", Optional.empty())));
        cases.rate(b.id(), 3, nov2.plus(Duration.ofHours(31)));
        open(cases, Category.DIBAO, false, "530521103", nov2); // still open, never assigned
        open(cases, Category.ELDERLY, false, "530502001", nov2); // another county
        open(cases, Category.DIBAO, false, "530521103", Instant.parse("2026-12-01T01:00:00Z")); // next month

        HouseholdStore households = new HouseholdStore(db, cipher);
        Monitoring monitoring = new Monitoring(db, new RiskSignals(), cipher);
        Registry registry = new Registry(households, new VisitStore(db, cipher), new VisitPolicy(), monitoring);
        registry.enrol(new HouseholdStore.Facts(List.of(member("530521195503010020"), member("530521198001010014")), "530521103", "530521",
                "", "", Map.of("dibao", LocalDate.of(2026, 11, 10)), Household.Risk.LOW, ""), Optional.empty(), LocalDate.of(2026, 11, 10), nov2);

        cn.shegong.core.staff.Trainings trainings = new cn.shegong.core.staff.Trainings(db);
        var course = trainings.create("站长培训", LocalDate.of(2026, 11, 20), "站长培训", "市民政局", 6, "530500", "city", nov2);
        trainings.signIn(course.code(), "w-shidian-1", LocalDate.of(2026, 11, 20));
        trainings.signIn(course.code(), "w-shidian-2", LocalDate.of(2026, 11, 21));
        trainings.signIn(course.code(), "w-shidian-2", LocalDate.of(2026, 11, 21)); // twice: once
        trainings.signIn(course.code(), "w-longyang-1", LocalDate.of(2026, 11, 20)); // another county
        assertEquals(cn.shegong.core.staff.Trainings.SignIn.NOT_TODAY, trainings.signIn(course.code(), "w-shidian-3", LocalDate.of(2026, 11, 23)));
        MonthlyReport report = new MonthlyReport(new CaseFigures(db), new RegistryFigures(db, new VisitPolicy()), monitoring,
                new CareCategories(), code -> code, code -> code, trainings, id -> Optional.of(id.startsWith("w-shidian") ? "530521103" : "530502001"));
        MonthlyReport.Report r = report.of(LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 30), Optional.of("530521"), Optional.empty(),
                "施甸县", LocalDate.of(2026, 11, 30), Instant.parse("2026-11-30T02:00:00Z"));
        assertEquals(List.of(List.of("dibao", 2, 1, 1, 1, 0), List.of("linshi", 1, 0, 1, 0, 0)), table(r, "requests").rows());
        assertEquals(List.of("合计", 3, 1, 2, 1, 0), table(r, "requests").total().orElseThrow());
        assertEquals(List.of(3.0, 4.0, 20.0, 2, 1), values(r, "timeliness"), "medians of 2 h and 4 h, 4 h, 10 h and 30 h; one missed");
        assertEquals(List.of(1 + 2, 0, 1, 800L, 0, 1), values(r, "results"), "低保: one request and a household of two");
        assertEquals(List.of(List.of("社工站：530521103", 1), List.of("社工：赵", 1)), table(r, "breaches").rows(),
                "the miss counted for its station and its worker");
        assertEquals(List.of(List.of("低保", 1, 1)), table(r, "households").rows());
        assertEquals(List.of(2, 4.0), values(r, "satisfaction"));
        assertEquals(List.of(1, 2, 12.0), values(r, "trainings"), "two of 施甸县's workers, six hours each");

        java.nio.file.Path file = java.nio.file.Files.createTempFile("report", ".xlsx");
        try (var out = java.nio.file.Files.newOutputStream(file)) {
            ReportWorkbook.write(r, out);
        }
        try (ReadableWorkbook wb = new ReadableWorkbook(file.toFile())) {
            assertEquals(9, wb.getSheets().count(), "a sheet per table");
            List<Row> rows = wb.getFirstSheet().read();
            assertTrue(rows.get(0).getCellText(0).contains("求助受理情况"));
            assertTrue(rows.get(1).getCellText(0).contains("2026-11-01") && rows.get(2).getCellText(0).contains("施甸县"));
            assertEquals("合计", rows.get(rows.size() - 1).getCellText(0));
            assertEquals("3", rows.get(rows.size() - 1).getCellText(1));
        }
        assertEquals("'=1+1", ReportWorkbook.safe("=1+1"), "a formula is written as text");
    }

    private static Case open(CaseStore cases, Category category, boolean urgent, String township, Instant at) {
        return cases.create(new CaseStore.NewCase("o-" + System.nanoTime(), category, urgent, AREAS.byCode(township), Optional.empty(),
                Optional.empty(), "", false), at);
    }

    private static Household.Member member(String id) {
        return new Household.Member("某", Optional.of(id), Optional.empty(), "", Optional.empty());
    }

    private static MonthlyReport.Table table(MonthlyReport.Report r, String key) {
        return r.tables().stream().filter(t -> t.key().equals(key)).findFirst().orElseThrow();
    }

    private static List<Object> values(MonthlyReport.Report r, String key) {
        return table(r, key).rows().stream().map(row -> row.get(1)).toList();
    }
}
