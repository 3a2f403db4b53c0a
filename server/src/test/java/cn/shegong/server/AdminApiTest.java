package cn.shegong.server;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.admin.account.Role;
import cn.shegong.core.casework.Areas;
import cn.shegong.core.casework.Case;
import cn.shegong.core.casework.CaseStore;
import cn.shegong.core.casework.Category;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console's JSON API over HTTP on the admin socket, as a browser uses it (cookie + CSRF header). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminApiTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String PASSWORD = "correct horse battery";

    RunningService service;
    Case shidian;
    Case tengchong;
    Case mental;

    /** A browser on this test's service. */
    final class Browser extends ConsoleClient {
        Browser() {
            super(service.shegong.adminPort());
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + service.shegong.adminPort() + path);
    }

    Browser signedIn(String user) throws Exception {
        Browser b = new Browser();
        assertEquals(200, b.login(user, PASSWORD).statusCode());
        return b;
    }

    @BeforeAll
    void start() {
        service = new RunningService(Clock.systemUTC());
        var accounts = service.shegong.accounts();
        var now = service.clock.instant();
        accounts.create("city", PASSWORD, Role.CITY, Shegong.CITY_AREA, false, now);
        accounts.create("shidian", PASSWORD, Role.COUNTY, "530521", false, now);
        accounts.create("yaoguan", PASSWORD, Role.STATION, "530521103", false, now);
        accounts.create("auditor", PASSWORD, Role.AUDITOR, Shegong.CITY_AREA, false, now);
        Areas areas = Areas.baoshan();
        shidian = newCase("o-api-1", Category.ELDERLY, "530521103", "13800001234");
        tengchong = newCase("o-api-2", Category.DIBAO, "530581101", "13900005678");
        mental = newCase("o-api-3", Category.MENTAL, "530521103", "13700009999");
        service.platform.says("o-api-1", "你好"); // the resident is following and inside the 48-hour window
    }

    Case newCase(String openid, Category category, String township, String phone) {
        return service.shegong.cases().create(new CaseStore.NewCase(openid, category, false, Areas.baoshan().byCode(township),
                Optional.of("李四"), Optional.of(phone), "测试用的求助", false), service.clock.instant());
    }

    @AfterAll
    void stop() {
        service.close();
    }

    @Test
    void eachRoleSeesOnlyItsArea() throws Exception {
        JsonNode city = signedIn("city").json("/api/cases");
        assertTrue(city.get("total").asInt() >= 3);

        Browser county = signedIn("shidian");
        JsonNode seen = county.json("/api/cases");
        seen.get("items").forEach(c -> assertEquals("施甸县", c.get("county").asText()));
        assertEquals(200, county.get("/api/cases/" + shidian.id()).statusCode());
        assertEquals(404, county.get("/api/cases/" + tengchong.id()).statusCode(), "another county's case does not exist for them");

        Browser station = signedIn("yaoguan");
        station.json("/api/cases").get("items").forEach(c -> assertEquals("姚关镇", c.get("township").asText()));
        assertEquals(404, station.get("/api/cases/" + tengchong.id()).statusCode());

        Browser auditor = signedIn("auditor");
        assertEquals(404, auditor.get("/api/cases").statusCode());
        assertEquals(404, auditor.get("/api/cases/" + shidian.id()).statusCode());
        assertEquals(200, auditor.get("/api/audit").statusCode());
        assertEquals(404, county.get("/api/audit").statusCode());
    }

    @Test
    void contactDetailsAreMaskedExceptForTheStation() throws Exception {
        assertEquals("138****1234", signedIn("shidian").json("/api/cases/" + shidian.id()).get("phone").asText());
        assertEquals("李*", signedIn("city").json("/api/cases/" + shidian.id()).get("name").asText());
        assertEquals("13800001234", signedIn("yaoguan").json("/api/cases/" + shidian.id()).get("phone").asText());
    }

    @Test
    void viewingASensitiveCaseIsAudited() throws Exception {
        signedIn("yaoguan").json("/api/cases/" + mental.id());
        JsonNode log = signedIn("auditor").json("/api/audit");
        boolean found = false;
        for (JsonNode e : log.get("items")) {
            found |= e.get("who").asText().equals("yaoguan") && e.get("action").asText().equals("view_sensitive_case")
                    && e.get("record").asText().equals(mental.number());
        }
        assertTrue(found, log.toString());
    }

    @Test
    void assigningTellsTheResidentAndASecondAssignFromAStaleViewIsAConflict() throws Exception {
        Case c = newCase("o-api-1", Category.ELDERLY, "530521103", "13800001234");
        Browser first = signedIn("city");
        Browser second = signedIn("shidian");
        assertEquals(0, first.json("/api/cases/" + c.id()).get("version").asInt());
        assertEquals(0, second.json("/api/cases/" + c.id()).get("version").asInt());

        HttpResponse<String> won = first.post("/api/cases/" + c.id() + "/assign", Map.of("version", 0));
        assertEquals(200, won.statusCode(), won.body());
        assertEquals("ASSIGNED", JSON.readTree(won.body()).get("status").asText());
        HttpResponse<String> lost = second.post("/api/cases/" + c.id() + "/assign", Map.of("version", 0));
        assertEquals(409, lost.statusCode(), "never a silent overwrite");
        assertEquals("changed_by_someone_else", JSON.readTree(lost.body()).get("error").asText());
        assertEquals(1, second.json("/api/cases/" + c.id()).get("version").asInt(), "and they can see the new state");

        var calls = service.fakeApi.awaitCalls(cs -> cs.stream().anyMatch(x -> x.path().equals("/cgi-bin/message/custom/send")
                && "o-api-1".equals(x.body().get("touser")) && x.body().toString().contains(c.number())), Duration.ofSeconds(10));
        assertTrue(calls.stream().anyMatch(x -> x.body().toString().contains(c.number())), "the resident is told in WeChat");
    }

    @Test
    void theApiIsDescribedAtAStableUrl() throws Exception {
        HttpResponse<String> doc = new Browser().get("/api/openapi.yaml");
        assertEquals(200, doc.statusCode());
        for (String path : new String[] {"/api/login", "/api/cases/{id}/assign", "/api/stations/{code}/workers", "/api/audit"}) {
            assertTrue(doc.body().contains(path + ":"), path);
        }
    }

    @Test
    void stationsAndWorkersAreScopedLikeCases() throws Exception {
        assertEquals(74, signedIn("city").json("/api/stations").get("items").size(), "one station per township");
        Browser county = signedIn("shidian");
        JsonNode mine = county.json("/api/stations");
        assertEquals(13, mine.get("items").size(), "施甸县 has 13 townships");
        assertEquals(1, signedIn("yaoguan").json("/api/stations").get("items").size());
        assertEquals(404, signedIn("auditor").get("/api/stations").statusCode());

        HttpResponse<String> added = county.post("/api/stations/530521103/workers",
                Map.of("name", "张社工", "role", "WORKER", "skills", java.util.List.of("elderly", "dibao"), "capacity", 8));
        assertEquals(200, added.statusCode(), added.body());
        assertEquals(404, county.post("/api/stations/530581101/workers", Map.of("name", "越权")).statusCode(),
                "a county admin cannot staff another county's station");
        String workerId = JSON.readTree(added.body()).get("id").asText();
        HttpResponse<String> off = county.http.send(HttpRequest.newBuilder(uri("/api/workers/" + workerId))
                .header("Content-Type", "application/json").header("X-CSRF-Token", county.csrf)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"active\":false,\"capacity\":8}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, off.statusCode(), off.body());
        assertFalse(JSON.readTree(off.body()).get("active").asBoolean(), "deactivated");
    }

    @Test
    void correctionsOfTriageAreExportedAsTrainingRowsForTheCityOnly() throws Exception {
        Case c = service.shegong.cases().create(new CaseStore.NewCase("o-api-corr", Category.ELDERLY, false,
                Areas.baoshan().byCode("530521103"), Optional.empty(), Optional.empty(),
                "我妈一个人在家 电话13800005678 这几天一直说不想活了", false), service.clock.instant());
        Browser station = signedIn("yaoguan");
        assertEquals(200, station.post("/api/cases/" + c.id() + "/classify", Map.of("version", 0, "category", "mental",
                "urgent", true, "reason", "其实是心理危机")).statusCode());
        HttpResponse<String> export = signedIn("city").get("/api/triage/corrections");
        assertEquals(200, export.statusCode());
        assertTrue(export.body().startsWith("category\turgency\ttext\n"));
        String row = export.body().lines().filter(l -> l.startsWith("mental\turgent\t")).findFirst().orElseThrow();
        assertTrue(row.endsWith(cn.shegong.admin.api.CorrectionsApi.row(c.description())), row);
        assertTrue(!export.body().contains("13800005678"), "phone numbers are not exported");
        assertEquals(404, signedIn("shidian").get("/api/triage/corrections").statusCode(), "a county admin cannot export");
    }

    @Test
    void theAuditLogBelievesOnlyTheLastForwardedAddressAndEscapesNothingIntoIt() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.shegong.adminPort() + "/api/login"))
                    .header("Content-Type", "application/json").header("X-Forwarded-For", "<script>alert(1)</script>, 203.0.113.7")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"auditor\",\"password\":\"" + PASSWORD + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
        }
        JsonNode log = signedIn("auditor").json("/api/audit");
        boolean seen = false;
        for (JsonNode e : log.get("items")) {
            assertTrue(!e.get("from").asText().contains("<"), e.toString());
            seen |= e.get("from").asText().equals("203.0.113.7");
        }
        assertTrue(seen, "the proxy's address is recorded");
    }

    @Test
    void aCaseIsFollowedToItsEndFromTheApi() throws Exception {
        Case c = newCase("o-api-1", Category.ELDERLY, "530521103", "13800001234");
        Browser station = signedIn("yaoguan");
        JsonNode worker = JSON.readTree(station.post("/api/stations/530521103/workers",
                Map.of("name", "李社工", "role", "WORKER", "capacity", 5)).body());
        Browser other = signedIn("shidian");
        String otherStationWorker = JSON.readTree(other.post("/api/stations/530521101/workers", Map.of("name", "甸阳社工")).body())
                .get("id").asText();
        String path = "/api/cases/" + c.id();

        assertEquals(400, station.post(path + "/assign", Map.of("version", 0, "workerId", otherStationWorker)).statusCode(),
                "only a worker of the case's station");
        assertEquals(200, station.post(path + "/assign", Map.of("version", 0, "workerId", worker.get("id").asText())).statusCode());
        JsonNode view = station.json(path);
        assertEquals("李社工", view.get("assignee").asText());
        JsonNode listed = view.get("workers").get(0);
        assertEquals(1, listed.get("openCases").asInt(), "the worker's open-case count counts it");

        assertEquals(200, station.post(path + "/notes", Map.of("text", "老人血压偏高，下周再去")).statusCode());
        assertEquals(200, station.post(path + "/message", Map.of("text", "李阿姨您好，社工明天上午到您家")).statusCode());
        assertEquals(400, station.post(path + "/classify", Map.of("version", 1, "category", "tekun", "urgent", true)).statusCode(),
                "a reason is required");
        assertEquals(200, station.post(path + "/classify", Map.of("version", 1, "category", "tekun", "urgent", true,
                "reason", "老人无子女，符合特困")).statusCode());
        assertEquals(200, station.post(path + "/close", Map.of("version", 2, "summary", "已纳入特困供养",
                "outcomes", List.of(Map.of("code", "granted_tekun")))).statusCode());
        assertEquals(200, station.post(path + "/reopen", Map.of("version", 3)).statusCode());

        view = station.json(path);
        assertEquals("NEW", view.get("status").asText());
        assertEquals("tekun", view.get("category").asText());
        assertTrue(view.get("urgent").asBoolean());
        assertEquals("老人血压偏高，下周再去", view.get("notes").get(0).get("text").asText());
        assertTrue(view.get("windowOpen").asBoolean(), "the resident wrote recently: chat messages reach them");
        assertTrue(view.get("transcript").toString().contains("社工明天上午到您家"), "the message is part of the transcript");
        var calls = service.fakeApi.awaitCalls(cs -> cs.stream().anyMatch(x -> x.body().toString().contains("社工明天上午到您家")),
                Duration.ofSeconds(10));
        assertTrue(calls.stream().anyMatch(x -> x.body().toString().contains("社工明天上午到您家")), "sent through WeChat");
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Security {

        @Test
        void stateChangingRequestsNeedTheCsrfToken() throws Exception {
            Browser b = signedIn("city");
            HttpResponse<String> forged = b.post("/api/cases/" + shidian.id() + "/assign", Map.of("version", 0), "");
            assertEquals(403, forged.statusCode());
            assertEquals("csrf", JSON.readTree(forged.body()).get("error").asText());
        }

        @Test
        void malformedParametersAndBodiesAreRefusedWith400NotAStackTrace() throws Exception {
            Browser b = signedIn("city");
            for (String path : List.of("/api/cases?status=FOO", "/api/cases?page=abc", "/api/cases?from=2026-13-45",
                    "/api/cases.xlsx?status=FOO", "/api/report?period=2026-99")) {
                HttpResponse<String> r = b.get(path);
                assertEquals(400, r.statusCode(), path + ": " + r.body());
                assertFalse(r.body().contains("Exception"), path);
            }
            assertEquals(400, b.post("/api/cases/" + shidian.id() + "/notes", null).statusCode(), "a JSON body of null");
        }

        @Test
        void everyAnswerCarriesTheSecurityHeaders() throws Exception {
            Browser b = signedIn("city");
            for (HttpResponse<String> r : List.of(b.get("/api/me"), b.get("/console/"), b.get("/console/app.js"), b.get("/console/app.css"))) {
                assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"), r.uri().toString());
                assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(""));
                assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
                assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElse(""));
                assertTrue(r.headers().firstValue("Content-Type").orElse("").toLowerCase().contains("charset=utf-8"), r.uri().toString());
            }
        }

        @Test
        void noSessionNoData() throws Exception {
            assertEquals(401, new Browser().get("/api/cases").statusCode());
        }

        @Test
        void aSessionExpiresAfterThirtyIdleMinutes() throws Exception {
            Browser b = signedIn("city");
            service.clock.advance(Duration.ofMinutes(29));
            assertEquals(200, b.get("/api/me").statusCode(), "use keeps it alive");
            service.clock.advance(Duration.ofMinutes(31));
            assertEquals(401, b.get("/api/me").statusCode());
        }
    }
}
