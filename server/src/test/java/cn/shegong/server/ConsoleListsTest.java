package cn.shegong.server;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.admin.account.Role;
import cn.shegong.core.casework.Areas;
import cn.shegong.core.casework.Case;
import cn.shegong.core.casework.CaseStore;
import cn.shegong.core.casework.Category;
import cn.shegong.core.households.Household;
import cn.shegong.core.households.HouseholdStore;
import cn.shegong.core.households.Visit;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's lists as an office uses them: the visits behind a compliance figure, the inbox's
 * searches across every status, the audit log's filters — and each list as an Excel file opened
 * with Apache POI, cell by cell.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleListsTest {

    static final String PASSWORD = "correct horse battery";
    static final String RENHE = "530521104";

    RunningService service;

    @BeforeAll
    void start() {
        service = new RunningService(Clock.systemUTC());
        var now = service.clock.instant();
        service.shegong.accounts().create("shidian", PASSWORD, Role.COUNTY, "530521", false, now);
        service.shegong.accounts().create("renhe", PASSWORD, Role.STATION, RENHE, false, now);
        service.shegong.accounts().create("auditor", PASSWORD, Role.AUDITOR, Shegong.CITY_AREA, false, now);
    }

    @AfterAll
    void stop() {
        service.close();
    }

    ConsoleClient as(String user) throws Exception {
        ConsoleClient c = new ConsoleClient(service.shegong.adminPort());
        assertEquals(200, c.login(user, PASSWORD).statusCode());
        return c;
    }

    Visit enrolled(String name, String category) {
        var saved = service.shegong.households().registry().enrol(new HouseholdStore.Facts(List.of(new Household.Member(name, Optional.empty(),
                Optional.empty(), "本人", Optional.empty())), RENHE, "530521", "仁和村", "", Map.of(category, LocalDate.of(2026, 11, 1)),
                Household.Risk.LOW, ""), Optional.empty(), LocalDate.of(2026, 11, 30), service.clock.instant());
        return service.shegong.households().registry().visitsOf(saved.id()).get(0);
    }

    @Test
    void theVisitsBehindAFigureAreListedAndExported() throws Exception {
        Visit late = enrolled("张一", "liushou_laoren");
        Visit onTime = enrolled("张二", "liushou_laoren");
        Visit open = enrolled("张三", "liushou_laoren");
        service.shegong.households().registry().recordVisit(late.code(), late.due().plusDays(40), "钱社工", "去晚了", service.clock.instant());
        service.shegong.households().registry().recordVisit(onTime.code(), onTime.due(), "钱社工", "按时", service.clock.instant());
        String period = late.due().getYear() + "-Q" + ((late.due().getMonthValue() - 1) / 3 + 1);
        ConsoleClient county = as("shidian");
        JsonNode lateOnes = county.json("/api/visits?period=" + period + "&township=" + RENHE + "&state=LATE");
        assertEquals(1, lateOnes.get("total").asInt(), lateOnes.toString());
        assertEquals(late.code(), lateOnes.get("items").get(0).get("code").asText());
        assertEquals("张*", lateOnes.get("items").get(0).get("name").asText(), "masked beyond the station");
        JsonNode all = county.json("/api/visits?period=" + period + "&township=" + RENHE);
        assertEquals(3, all.get("total").asInt());

        List<List<String>> sheet = sheet(county, "/api/visits.xlsx?period=" + period + "&township=" + RENHE);
        assertEquals("入户探访清单", sheet.get(0).get(0));
        int headings = indexOf(sheet, "走访编号");
        assertEquals(3, sheet.size() - headings - 1, sheet.toString());
        Map<String, String> states = new java.util.HashMap<>();
        sheet.subList(headings + 1, sheet.size()).forEach(r -> states.put(r.get(0), r.get(9)));
        assertEquals("逾期完成", states.get(late.code()));
        assertEquals("按时完成", states.get(onTime.code()));
        assertTrue(List.of("尚未到期", "未访").contains(states.get(open.code())), states.toString());
    }

    @Test
    void aPhoneOrNumberIsFoundInEveryStatusAndTheCardsFilter() throws Exception {
        Case c = service.shegong.cases().create(new CaseStore.NewCase("o-lists-1", Category.DIBAO, false, Areas.baoshan().byCode(RENHE),
                Optional.of("=1+2"), Optional.of("13800004321"), "想申请低保", false), service.clock.instant());
        ConsoleClient station = as("renhe");
        assertEquals(1, station.json("/api/cases?status=CLOSED&q=13800004321").get("total").asInt(),
                "the phone is looked up whatever the status box says");
        assertEquals(1, station.json("/api/cases?status=CLOSED&q=" + c.number()).get("total").asInt());
        assertEquals(0, station.json("/api/cases?status=CLOSED").get("total").asInt());
        assertTrue(station.json("/api/cases?status=ALL").get("total").asInt() >= 1);
        assertEquals(1, station.json("/api/cases?only=waiting").get("total").asInt(), "nobody has it yet");
        assertEquals(0, station.json("/api/cases?only=overdue").get("total").asInt());

        var poi = workbook(station, "/api/cases.xlsx?status=ALL");
        Row row = findRow(poi, c.number());
        for (Cell cell : row) {
            assertNotEquals(CellType.FORMULA, cell.getCellType(), "no cell is a formula");
        }
        assertEquals("13800004321", row.getCell(9).getStringCellValue(), "the station sees the phone");
        assertEquals("'=1+2", row.getCell(8).getStringCellValue(), "a name that looks like a formula stays text");
        poi.close();
    }

    @Test
    void theAuditorFiltersThePagesAndExportsTheLog() throws Exception {
        ConsoleClient county = as("shidian");
        sheet(county, "/api/workers.xlsx");
        ConsoleClient auditor = as("auditor");
        JsonNode exports = auditor.json("/api/audit?action=export_workers&who=shidian");
        assertTrue(exports.get("total").asInt() >= 1, exports.toString());
        exports.get("items").forEach(e -> assertEquals("下载社工名单", e.get("label").asText()));
        assertEquals(0, auditor.json("/api/audit?action=export_workers&who=nobody").get("total").asInt());
        assertEquals(0, auditor.json("/api/audit?action=export_workers&from=2020-01-01&to=2020-01-31").get("total").asInt());
        List<List<String>> log = sheet(auditor, "/api/audit.xlsx?action=export_workers");
        assertEquals("审计日志", log.get(0).get(0));
        assertTrue(log.stream().anyMatch(r -> r.contains("shidian") && r.contains("下载社工名单")), log.toString());
        assertEquals(404, county.get("/api/audit").statusCode(), "the log is for the auditor and the city");
        String idNumber = "53052119500101001" + cn.shegong.core.households.IdNumbers.checkCharacter("53052119500101001");
        county.json("/api/households?idNumber=" + idNumber);
        county.json("/api/cases?q=13800004321");
        String searches = auditor.get("/api/audit?who=shidian").body();
        assertTrue(searches.contains("view_households") && !searches.contains(idNumber), "the search is audited, the ID number masked: " + searches);
        sheet(county, "/api/cases.xlsx?q=13800004321");
        String caseExports = auditor.get("/api/audit?action=export_cases").body();
        assertTrue(caseExports.contains("138****4321") && !caseExports.contains("13800004321"), caseExports);
        JsonNode again = auditor.json("/api/audit?action=export_audit");
        assertTrue(again.get("total").asInt() >= 1, "exporting the log is itself audited");
    }

    @Test
    void trainingsAreCountedPerWorkerInPersonTimesAndHours() throws Exception {
        var worker = service.shegong.staff().addWorker("孙培训", RENHE, cn.shegong.core.staff.Worker.Role.WORKER, List.of(), 8);
        LocalDate today = LocalDate.now(service.clock.withZone(java.time.ZoneId.of("Asia/Shanghai")));
        for (String title : List.of("站长培训", "线上培训")) {
            var t = service.shegong.households().trainings().create(title, today, "站长培训", "保山市民政局", 2.5, Shegong.CITY_AREA, "city",
                    service.clock.instant());
            service.shegong.households().trainings().signIn(t.code(), worker.id(), today);
        }
        JsonNode attendance = as("renhe").json("/api/trainings/attendance");
        JsonNode row = attendance.get("items").get(0);
        assertEquals("孙培训", row.get("worker").asText());
        assertEquals(2, row.get("times").asInt(), "人次: two trainings");
        assertEquals(5.0, row.get("hours").asDouble());
        List<List<String>> sheet = sheet(as("shidian"), "/api/trainings/attendance.xlsx");
        assertTrue(sheet.stream().anyMatch(r -> r.contains("孙培训") && r.contains("2") && (r.contains("5.0") || r.contains("5"))), sheet.toString());
    }

    XSSFWorkbook workbook(ConsoleClient c, String path) throws Exception {
        var res = c.http.send(HttpRequest.newBuilder(c.uri(path)).header("X-Forwarded-For", c.from).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, res.statusCode(), path);
        return new XSSFWorkbook(new ByteArrayInputStream(res.body()));
    }

    List<List<String>> sheet(ConsoleClient c, String path) throws Exception {
        try (XSSFWorkbook wb = workbook(c, path)) {
            List<List<String>> rows = new ArrayList<>();
            for (Row r : wb.getSheetAt(0)) {
                List<String> cells = new ArrayList<>();
                for (int i = 0; i < r.getLastCellNum(); i++) {
                    Cell cell = r.getCell(i);
                    cells.add(cell == null ? "" : cell.getCellType() == CellType.NUMERIC
                            ? String.valueOf((long) cell.getNumericCellValue()) : cell.getStringCellValue());
                }
                rows.add(cells);
            }
            return rows;
        }
    }

    static int indexOf(List<List<String>> sheet, String firstHeading) {
        for (int i = 0; i < sheet.size(); i++) {
            if (!sheet.get(i).isEmpty() && sheet.get(i).get(0).equals(firstHeading)) {
                return i;
            }
        }
        throw new AssertionError("no heading row " + firstHeading + " in " + sheet);
    }

    static Row findRow(XSSFWorkbook wb, String first) {
        for (Row r : wb.getSheetAt(0)) {
            if (r.getCell(0) != null && r.getCell(0).getCellType() == CellType.STRING && r.getCell(0).getStringCellValue().equals(first)) {
                return r;
            }
        }
        throw new AssertionError("no row " + first);
    }
}
