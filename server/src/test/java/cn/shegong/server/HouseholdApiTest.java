package cn.shegong.server;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import cn.shegong.admin.account.Role;
import cn.shegong.core.staff.Worker;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry through the console's API as each role uses it: a county admin imports a ledger
 * (rows of another county refused), follows its progress and downloads the rejected rows; the
 * station sees members in full, the county masked, the auditor nothing; a household moves to
 * another worker with its visit; an exit; the figures; every household page opened is audited.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HouseholdApiTest {

    static final String PASSWORD = "correct horse battery";

    RunningService service;
    Worker zhao;
    Worker qian;

    @TempDir
    Path dir;

    @BeforeAll
    void start() {
        service = new RunningService(Clock.systemUTC());
        var now = service.clock.instant();
        service.shegong.accounts().create("shidian", PASSWORD, Role.COUNTY, "530521", false, now);
        service.shegong.accounts().create("yaoguan", PASSWORD, Role.STATION, "530521103", false, now);
        service.shegong.accounts().create("audit", PASSWORD, Role.AUDITOR, Shegong.CITY_AREA, false, now);
        zhao = service.shegong.staff().addWorker("赵社工", "530521103", Worker.Role.WORKER, List.of(), 10);
        qian = service.shegong.staff().addWorker("钱社工", "530521103", Worker.Role.WORKER, List.of(), 10);
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

    JsonNode upload(ConsoleClient c, Path file) throws Exception {
        HttpResponse<String> r = c.http.send(HttpRequest.newBuilder(c.uri("/api/households/import?name=" + file.getFileName()))
                .header("X-CSRF-Token", c.csrf).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        String id = ConsoleClient.JSON.readTree(r.body()).get("id").asText();
        JsonNode s = c.json("/api/imports/" + id);
        while (!s.get("state").asText().equals("DONE") && !s.get("state").asText().equals("FAILED")) {
            service.shegong.importJobs().await(id, java.time.Duration.ofSeconds(30)); // woken when the import ends
            s = c.json("/api/imports/" + id);
        }
        return s;
    }

    @Test
    void aCountyImportsItsLedgerAndEachRoleSeesWhatItMay() throws Exception {
        Path file = Ledgers.write(dir.resolve("施甸县花名册.xlsx"), 30, List.of(
                List.of("31", "腾冲人", "53058119500101001" + cn.shegong.core.households.IdNumbers.checkCharacter("53058119500101001"), "腾冲市", "腾越街道", "", "留守老人", ""),
                List.of("32", "坏号码", "5.30521E+17", "施甸县", "姚关镇", "", "留守老人", "")));
        ConsoleClient county = as("shidian");
        JsonNode done = upload(county, file);
        assertEquals("DONE", done.get("state").asText(), done.toString());
        assertEquals(30, done.get("counts").get("CREATED").asInt());
        assertEquals(2, done.get("rejected").asInt());
        String csv = county.get("/api/imports/" + done.get("id").asText() + "/rejected.csv").body();
        assertTrue(csv.contains("不在您的管理范围内") && csv.contains("腾冲人"), csv);
        assertTrue(csv.contains("5.30521E+17"), "the rows come back as they were, to fix and upload again");
        assertEquals(404, as("yaoguan").get("/api/imports/" + done.get("id").asText()).statusCode(), "an import is its author's");
        assertEquals("DONE", upload(county, file).get("state").asText());
        assertEquals(30, county.json("/api/households").get("total").asInt(), "the same file twice changes nothing");

        String idNumber = Ledgers.idNumber(7);
        JsonNode found = county.json("/api/households?idNumber=" + idNumber).get("items");
        assertEquals(1, found.size());
        String id = found.get(0).get("id").asText();
        JsonNode masked = county.json("/api/households/" + id);
        assertEquals(List.of("段*"), List.of(masked.get("members").get(0).get("name").asText()));
        assertFalse(masked.toString().contains(idNumber), "the county sees the ID number masked");
        JsonNode full = as("yaoguan").json("/api/households/" + id);
        assertEquals(idNumber, full.get("members").get(0).get("idNumber").asText(), "the station that visits sees it");
        assertEquals("留守老人每月巡访", full.get("rule").get("name").asText());
        JsonNode next = full.get("visits").get(0);
        assertTrue(next.get("next").asBoolean() && next.get("status").asText().equals("DUE"), full.toString());
        assertEquals(404, as("audit").get("/api/households/" + id).statusCode());
        assertEquals(404, as("audit").get("/api/households").statusCode());
        assertTrue(as("audit").json("/api/audit").get("items").findValues("action").stream()
                .anyMatch(a -> a.asText().equals("view_household")), "opening a household is audited");

        JsonNode moved = county.http.send(HttpRequest.newBuilder(county.uri("/api/households/" + id + "/worker"))
                .header("X-CSRF-Token", county.csrf).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"workerId\":\"" + qian.id() + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).body().transform(ConsoleClient::parse);
        assertEquals("钱社工", moved.get("worker").get("name").asText());
        assertEquals(List.of(next.get("code").asText()), service.shegong.households().visits().openFor(qian.id()).stream().map(v -> v.code()).toList(),
                "its open visit went along");

        county.act("/api/households/" + id + "/exit", Map.of("reason", "迁出本县"));
        assertEquals(29, county.json("/api/households").get("total").asInt());
        assertEquals(1, county.json("/api/households?status=EXITED").get("total").asInt());

        JsonNode figures = county.json("/api/figures/registry");
        assertEquals(29, figures.get("inCare").get("留守老人").asInt());
        assertEquals(29, figures.get("newlyEnrolled").get("留守老人").asInt(), "enrolled today, this quarter");
        assertTrue(Files.list(service.dataDir.resolve("imports")).findAny().isEmpty(), "no uploaded file is left on disk");
    }

    @Test
    void aResidentsWordsOfHardshipOpenAReviewItemTheCountyReviewsOnce() throws Exception {
        String openid = "o-monitoring-resident";
        for (String t : List.of("同意", "我老伴上个月去世了，我自己查出癌症在住院，欠了很多钱，想问问能不能申请临时救助",
                "施甸县姚关镇山邑村 13800009876 我姓杨", "1")) {
            assertTrue(service.platform.says(openid, t).ok());
        }
        ConsoleClient county = as("shidian");
        JsonNode items = county.json("/api/monitoring").get("items");
        assertEquals(1, items.size(), items.toString());
        JsonNode item = items.get(0);
        assertTrue(item.get("caseNumber").asText().startsWith("BS"), item.toString());
        assertEquals(List.of("大病重病", "家庭变故（失去照料人）", "债务负担"),
                ConsoleClient.JSON.convertValue(item.get("signals"), List.class));
        assertTrue(item.get("evidence").get(0).get("quote").asText().contains("去世"));
        assertEquals(400, county.post("/api/monitoring/" + item.get("id").asText() + "/review", Map.of("decision", "RISK_RAISED"))
                .statusCode(), "not in the registry: there is no household to raise");
        county.act("/api/monitoring/" + item.get("id").asText() + "/review", Map.of("decision", "FOLLOWED_UP"));
        assertEquals(409, county.post("/api/monitoring/" + item.get("id").asText() + "/review", Map.of("decision", "DISMISSED"))
                .statusCode(), "reviewed once");
        assertEquals(0, county.json("/api/monitoring").get("items").size());
        assertEquals(404, as("audit").get("/api/monitoring").statusCode());
    }

    @Test
    void theReportComesAsTablesAndAsAnExcelFileForEachRoleButTheAuditor() throws Exception {
        ConsoleClient county = as("shidian");
        JsonNode report = county.json("/api/report");
        assertEquals("施甸县", report.get("area").asText(), "a county admin's report is their county's");
        assertEquals(9, report.get("tables").size());
        var xlsx = county.http.send(java.net.http.HttpRequest.newBuilder(county.uri("/api/report.xlsx?period=2026")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, xlsx.statusCode());
        Path file = dir.resolve("report.xlsx");
        Files.write(file, xlsx.body());
        try (var wb = new org.dhatim.fastexcel.reader.ReadableWorkbook(file.toFile())) {
            var rows = wb.getFirstSheet().read();
            assertTrue(rows.get(1).getCellText(0).contains("2026-01-01") && rows.get(1).getCellText(0).contains("2026-12-31"));
            assertTrue(rows.get(2).getCellText(0).contains("施甸县"));
        }
        assertEquals(404, as("audit").get("/api/report").statusCode());
        assertTrue(as("audit").json("/api/audit").get("items").findValues("action").stream().anyMatch(a -> a.asText().equals("export_report")));
    }

    @Test
    void aStationEntersAndEditsAHouseholdByHandAndACountyOrdersACampaign() throws Exception {
        ConsoleClient station = as("yaoguan");
        String first17 = "53052119480315002";
        String idNumber = first17 + cn.shegong.core.households.IdNumbers.checkCharacter(first17);
        String wrong = first17 + (idNumber.endsWith("1") ? "2" : "1");
        Map<String, Object> form = new java.util.HashMap<>(Map.of("members", List.of(Map.of("name", "杨桂英", "idNumber", idNumber,
                "phone", "13800006666", "relation", "本人")), "township", "530521103", "village", "山邑村",
                "categories", Map.of("shineng_laoren", "2026-11-01"), "risk", "MEDIUM", "plan", "每月上门，链接助餐", "workerId", zhao.id()));
        var bad = new java.util.HashMap<>(form);
        bad.put("members", List.of(Map.of("name", "杨桂英", "idNumber", wrong)));
        assertEquals("id_check_digit", ConsoleClient.parse(station.post("/api/households", bad).body()).get("error").asText(),
                "a wrong ID number is refused, naming what is wrong");
        var far = new java.util.HashMap<>(form);
        far.put("township", "530581001");
        assertEquals(400, station.post("/api/households", far).statusCode(), "not in the station's township");
        String id = station.act("/api/households", form).get("id").asText();
        assertEquals(409, station.post("/api/households", form).statusCode(), "the same ID number twice");
        JsonNode page = station.json("/api/households/" + id);
        assertEquals("失能老人每月巡访", page.get("rule").get("name").asText());
        assertEquals("赵社工", page.get("worker").get("name").asText());

        form.put("risk", "HIGH");
        form.put("version", page.get("version").asInt());
        var edited = station.http.send(java.net.http.HttpRequest.newBuilder(station.uri("/api/households/" + id))
                .header("Content-Type", "application/json").header("X-CSRF-Token", station.csrf)
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(ConsoleClient.JSON.writeValueAsString(form))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, edited.statusCode(), edited.body());
        assertEquals("HIGH", station.json("/api/households/" + id).get("risk").asText());
        ConsoleClient county = as("shidian");
        var countyEdit = county.http.send(java.net.http.HttpRequest.newBuilder(county.uri("/api/households/" + id))
                .header("Content-Type", "application/json").header("X-CSRF-Token", county.csrf)
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(ConsoleClient.JSON.writeValueAsString(form))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(403, countyEdit.statusCode(), "the county sees members masked, so it does not edit them");

        int before = service.shegong.households().visits().openFor(zhao.id()).size();
        JsonNode campaign = county.act("/api/campaigns", Map.of("name", "寒潮前走访", "due", java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai"))
                .plusDays(5).toString(), "category", "shineng_laoren", "township", "530521103"));
        assertEquals(1, campaign.get("ordered").asInt(), "the one 失能老人 household of 姚关镇");
        assertEquals(before + 1, service.shegong.households().visits().openFor(zhao.id()).size(), "its worker has one more visit to make");
        assertTrue(station.json("/api/households/" + id).get("visits").findValues("rule").stream().anyMatch(r -> r.asText().equals("寒潮前走访")));
    }

    @Test
    void listsExportToExcelMaskedByRoleStreamedAndNeverAsFormulas() throws Exception {
        String first17 = "53052119600101003";
        String idNumber = first17 + cn.shegong.core.households.IdNumbers.checkCharacter(first17);
        service.shegong.households().registry().enrol(new cn.shegong.core.households.HouseholdStore.Facts(List.of(new cn.shegong.core.households.Household.Member(
                "=HYPERLINK(\"http://x\")", java.util.Optional.of(idNumber), java.util.Optional.of("13800007777"), "本人",
                java.util.Optional.empty())), "530521103", "530521", "山邑村", "", Map.of("canji", java.time.LocalDate.of(2026, 11, 1)),
                cn.shegong.core.households.Household.Risk.LOW, ""), java.util.Optional.empty(), java.time.LocalDate.of(2026, 11, 30),
                service.clock.instant());
        List<List<String>> station = sheet(as("yaoguan"), "/api/households.xlsx?category=canji");
        List<String> row = station.stream().filter(r -> r.size() > 1 && r.get(1).equals(idNumber)).findFirst().orElseThrow(() -> new AssertionError(station.toString()));
        assertTrue(row.get(0).startsWith("'="), "a name that looks like a formula is written as text: " + row.get(0));
        assertEquals("13800007777", row.get(2), "the station sees the phone");
        assertTrue(station.get(1).get(0).contains("category=canji"), "the filters are on the sheet");
        List<List<String>> county = sheet(as("shidian"), "/api/households.xlsx?category=canji");
        assertTrue(county.stream().noneMatch(r -> r.contains(idNumber) || r.contains("13800007777")), "masked for the county");
        assertTrue(county.stream().anyMatch(r -> r.size() > 2 && r.get(2).equals("138****7777")));
        List<List<String>> cases = sheet(as("shidian"), "/api/cases.xlsx?status=CLOSED");
        assertTrue(cases.get(0).get(0).contains("求助清单"));
        assertEquals(404, as("audit").get("/api/households.xlsx").statusCode());
    }

    List<List<String>> sheet(ConsoleClient c, String path) throws Exception {
        var res = c.http.send(java.net.http.HttpRequest.newBuilder(c.uri(path)).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, res.statusCode(), path);
        Path file = Files.createTempFile(dir, "export", ".xlsx");
        Files.write(file, res.body());
        try (var wb = new org.dhatim.fastexcel.reader.ReadableWorkbook(file.toFile())) {
            return wb.getFirstSheet().read().stream().map(r -> r.stream().map(cell -> cell == null ? "" : cell.getText()).toList()).toList();
        }
    }
}
