package cn.shegong.server;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import cn.shegong.admin.account.Role;
import cn.shegong.bot.routing.CaseSweep;
import cn.shegong.core.casework.Case;
import cn.shegong.core.casework.Category;
import cn.shegong.core.staff.Rosters;
import cn.shegong.core.staff.Worker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An urgent request reaches whoever is on duty at its station and climbs the chain until someone
 * says 收到: ten minutes unanswered → the station head; ten more → the county's duty worker, whose
 * 收到 stops it. Answered in time, it goes no further. Rosters are edited within the account's area.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UrgentAlertTest {

    static final String YAOGUAN = "530521103";
    static final String RENHE = "530521104";
    static final String PASSWORD = "correct horse battery";
    static final Instant MONDAY_9AM = Instant.parse("2026-11-30T01:00:00Z");

    RunningService service;
    Worker onDuty;
    Worker offDuty;
    Worker head;
    Worker county;

    @BeforeAll
    void start() {
        service = new RunningService(Clock.fixed(MONDAY_9AM, ZoneId.of("UTC")), new Shegong.Seams(c -> c, false));
        var staff = service.shegong.staff();
        onDuty = bound(staff.addWorker("值班甲", YAOGUAN, Worker.Role.WORKER, List.of(), 10), "o-alert-duty");
        offDuty = bound(staff.addWorker("休息乙", YAOGUAN, Worker.Role.WORKER, List.of(Category.MENTAL), 10), "o-alert-off");
        head = bound(staff.addWorker("站长丙", YAOGUAN, Worker.Role.HEAD, List.of(), 10), "o-alert-head");
        county = bound(staff.addWorker("县值班丁", RENHE, Worker.Role.WORKER, List.of(), 10), "o-alert-county");
        service.shegong.rosters().saveWeekly(YAOGUAN, Map.of(DayOfWeek.MONDAY, List.of(onDuty.id()), DayOfWeek.TUESDAY, List.of(offDuty.id())));
        service.shegong.rosters().saveWeekly(Rosters.county("530521"), Map.of(DayOfWeek.MONDAY, List.of(county.id())));
        var now = service.clock.instant();
        service.shegong.accounts().create("yaoguan", PASSWORD, Role.STATION, YAOGUAN, false, now);
        service.shegong.accounts().create("shidian", PASSWORD, Role.COUNTY, "530521", false, now);
    }

    @AfterAll
    void stop() {
        service.close();
    }

    Worker bound(Worker w, String phone) {
        service.fakeApi.follow(phone);
        String code = service.shegong.bindCodes().create(w.id(), service.clock.instant());
        assertTrue(service.platform.says(phone, "绑定 " + code).replyText().orElse("").contains("绑定成功"));
        return w;
    }

    /** Whether one message to the phone says all of these. */
    boolean told(String phone, String... all) {
        service.shegong.outbox().runOnce();
        return service.fakeApi.received(phone).stream().map(Object::toString)
                .anyMatch(m -> java.util.Arrays.stream(all).allMatch(m::contains));
    }

    Case urgent(String openid) {
        assertTrue(service.platform.says(openid, "我在施甸县姚关镇，我不想活了").ok());
        Case c = service.shegong.cases().forResident(openid).get(0);
        assertTrue(c.urgent() && c.township().isPresent(), c.toString());
        return c;
    }

    @Test
    void anUnansweredAlertClimbsToTheHeadThenTheCountyWhoseAcknowledgementStopsIt() {
        Case c = urgent("o-alert-resident-1");
        assertTrue(told("o-alert-duty", c.number(), "收到"), "the worker on duty is told at once");
        assertFalse(told("o-alert-off", c.number()), "not the one off duty today");
        assertFalse(told("o-alert-head", c.number()), "the head only if nobody answers");

        CaseSweep sweep = service.shegong.caseSweep();
        service.clock.advance(Duration.ofMinutes(9));
        assertEquals(0, sweep.runOnce().alertsRaised(), "within ten minutes nothing climbs");
        service.clock.advance(Duration.ofMinutes(2));
        assertEquals(1, sweep.runOnce().alertsRaised());
        assertTrue(told("o-alert-head", c.number(), "无人确认"), "the head is told nobody answered");
        assertEquals(0, sweep.runOnce().alertsRaised(), "once");

        service.clock.advance(Duration.ofMinutes(11));
        assertEquals(1, sweep.runOnce().alertsRaised());
        assertTrue(told("o-alert-county", c.number(), "无人确认"), "then the county's duty worker");
        String ack = service.platform.says("o-alert-county", "收到").replyText().orElse("");
        assertTrue(ack.contains(c.number()) && ack.contains("详情 " + c.shortCode()), ack);

        service.clock.advance(Duration.ofMinutes(30));
        assertEquals(0, sweep.runOnce().alertsRaised(), "acknowledged: it stops");
        List<String> timeline = service.shegong.cases().find(c.id()).orElseThrow().timeline().stream().map(Case.Event::kind).toList();
        assertEquals(2, timeline.stream().filter("alert_escalated"::equals).count(), timeline.toString());
        assertTrue(timeline.contains("alert_acknowledged"));
    }

    @Test
    void anAlertAnsweredInTimeGoesNoFurther() {
        Case c = urgent("o-alert-resident-2");
        String reply = service.platform.says("o-alert-duty", "收到").replyText().orElse("");
        assertTrue(reply.contains(c.number()), reply);
        service.clock.advance(Duration.ofMinutes(25));
        service.shegong.caseSweep().runOnce();
        assertFalse(told("o-alert-head", c.number(), "无人确认"), "the alert goes no further (the head hears of the late assignment only)");
        assertFalse(told("o-alert-county", c.number()));
        assertTrue(service.platform.says("o-alert-duty", "收到").replyText().orElse("").contains("没有等您确认"));
    }

    @Test
    void rostersAreEditedWithinTheAccountsArea() throws Exception {
        ConsoleClient station = new ConsoleClient(service.shegong.adminPort());
        assertEquals(200, station.login("yaoguan", PASSWORD).statusCode());
        var mine = station.json("/api/rosters/" + YAOGUAN);
        assertEquals(List.of(onDuty.id()), ConsoleClient.JSON.convertValue(mine.get("weekly").get("MONDAY"), List.class));
        assertEquals(404, station.get("/api/rosters/county:530521").statusCode(), "a station head does not edit the county's");
        assertEquals(404, station.get("/api/rosters/" + RENHE).statusCode(), "nor another station's");
        var put = station.http.send(java.net.http.HttpRequest.newBuilder(station.uri("/api/rosters/" + YAOGUAN))
                .header("Content-Type", "application/json").header("X-CSRF-Token", station.csrf)
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"weekly\":{\"MONDAY\":[\"" + county.id() + "\"]}}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(400, put.statusCode(), "a worker of another station cannot be on this station's roster");
        ConsoleClient countyAdmin = new ConsoleClient(service.shegong.adminPort());
        assertEquals(200, countyAdmin.login("shidian", PASSWORD).statusCode());
        assertEquals(200, countyAdmin.get("/api/rosters/county:530521").statusCode());
    }

    @Test
    void staffInTheConsoleCanAcknowledgeAnAlertToo() throws Exception {
        Case c = urgent("o-alert-resident-3");
        ConsoleClient station = new ConsoleClient(service.shegong.adminPort());
        assertEquals(200, station.login("yaoguan", PASSWORD).statusCode());
        assertEquals(1, station.json("/api/cases/" + c.id()).get("alertWaiting").get("level").asInt(), "the case page says nobody confirmed");
        station.act("/api/cases/" + c.id() + "/ack-alert", Map.of());
        assertTrue(station.json("/api/cases/" + c.id()).path("alertWaiting").isMissingNode());
        service.clock.advance(Duration.ofMinutes(11));
        service.shegong.caseSweep().runOnce();
        assertFalse(told("o-alert-head", c.number(), "无人确认"), "acknowledged in the console: it climbs no further");
    }

    @Test
    void aWorkerSignsInToATrainingOnWeChatAndTheReportCountsIt() throws Exception {
        ConsoleClient county = new ConsoleClient(service.shegong.adminPort());
        assertEquals(200, county.login("shidian", PASSWORD).statusCode());
        String today = java.time.LocalDate.ofInstant(service.clock.instant(), ZoneId.of("Asia/Shanghai")).toString();
        String code = county.act("/api/trainings", Map.of("title", "站长培训：紧急求助处置", "date", today, "kind", "站长培训",
                "organiser", "施甸县民政局", "hours", 4)).get("code").asText();
        assertTrue(service.platform.says("o-alert-duty", "签到 " + code).replyText().orElse("").contains("签到成功"));
        assertTrue(service.platform.says("o-alert-duty", "签到 " + code.toLowerCase()).replyText().orElse("").contains("已经签过"));
        assertTrue(service.platform.says("o-alert-head", "签到 T0000").replyText().orElse("").contains("没有找到"));
        var items = county.json("/api/trainings").get("items");
        assertTrue(items.toString().contains("值班甲"), items.toString());
        var trainings = county.json("/api/report").get("tables").findValues("rows").stream().filter(r -> r.toString().contains("参训"))
                .findFirst().orElseThrow();
        assertTrue(trainings.toString().contains("[\"参训（人次）\",1]"), trainings.toString());
    }
}
