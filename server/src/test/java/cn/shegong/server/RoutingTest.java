package cn.shegong.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import cn.shegong.admin.account.Role;
import cn.shegong.bot.routing.CaseSweep;
import cn.shegong.core.casework.Case;
import cn.shegong.core.casework.Category;
import cn.shegong.core.routing.Deadlines;
import cn.shegong.core.routing.Limit;
import cn.shegong.core.routing.WorkCalendar;
import cn.shegong.core.staff.Worker;
import cn.shegong.fakewechat.FakeWeChat;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every request reaches a person who answers for it, on a clock that starts on a Monday morning in
 * Baoshan: a resident's request is routed by the rules to the skilled worker, whose phone gets the
 * card; as acceptance nears its deadline the worker is reminded, once, whichever replica sweeps;
 * past it the station head is told, and the resident, honestly, with the station's phone; a request
 * whose place is unknown waits until an admin sets it, then is routed; only the city edits the rules.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoutingTest {

    static final String YAOGUAN = "530521103";
    static final String PASSWORD = "correct horse battery";
    static final Instant MONDAY_9AM = Instant.parse("2026-11-30T01:00:00Z");

    RunningService service;
    Worker zhao;
    final String zhaoPhone = "o-routing-zhao";
    final String headPhone = "o-routing-head";

    @BeforeAll
    void start() {
        service = new RunningService(Clock.fixed(MONDAY_9AM, ZoneId.of("UTC")), new Shegong.Seams(c -> c, false), false,
                Map.of("ROUTING", "auto"));
        var staff = service.shegong.staff();
        zhao = bound(staff.addWorker("赵社工", YAOGUAN, Worker.Role.WORKER, List.of(Category.ELDERLY), 10), zhaoPhone);
        staff.addWorker("钱社工", YAOGUAN, Worker.Role.WORKER, List.of(Category.DIBAO), 10);
        bound(staff.addWorker("孙站长", YAOGUAN, Worker.Role.HEAD, List.of(), 10), headPhone);
        staff.updateStation(YAOGUAN, "0875-8123456", true);
        service.shegong.accounts().create("city", PASSWORD, Role.CITY, Shegong.CITY_AREA, false, service.clock.instant());
        service.shegong.accounts().create("shidian", PASSWORD, Role.COUNTY, "530521", false, service.clock.instant());
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

    Case asks(String openid, String... turns) {
        for (String t : turns) {
            assertTrue(service.platform.says(openid, t).ok());
        }
        return service.shegong.cases().forResident(openid).get(0);
    }

    List<FakeWeChat.Received> cards(String openid, String templateId) {
        service.shegong.outbox().runOnce();
        return service.fakeApi.received(openid).stream().filter(r -> templateId.equals(r.payload().get("template_id"))).toList();
    }

    /** The cards of {@code templateId} about the request {@code c}: the tests share the station's people. */
    List<FakeWeChat.Received> cards(String openid, String templateId, Case c) {
        return cards(openid, templateId).stream().filter(r -> r.payload().toString().contains(c.number())).toList();
    }

    String texts(String openid) {
        service.shegong.outbox().runOnce();
        return service.fakeApi.received(openid).toString();
    }

    ConsoleClient as(String user) throws Exception {
        ConsoleClient c = new ConsoleClient(service.shegong.adminPort());
        assertEquals(200, c.login(user, PASSWORD).statusCode());
        return c;
    }

    @Test
    void aRequestIsRoutedToTheSkilledWorkerAndHeldToItsDeadlinesOnceWhoeverSweeps() throws Exception {
        Case c = asks("o-routing-li", "同意", "我婆婆八十多了一个人在家，前天摔了一跤，现在起床都困难", "施甸县姚关镇山邑村 13800001234 我姓李", "1");
        CaseSweep sweep = service.shegong.caseSweep();
        assertEquals(1, sweep.runOnce().routed());
        Case routed = service.shegong.cases().find(c.id()).orElseThrow();
        assertEquals(Case.Status.ASSIGNED, routed.status());
        assertEquals(java.util.Optional.of(zhao.id()), routed.assigneeId(), "the worker skilled in elderly care");
        assertEquals(1, cards(zhaoPhone, "SG_DEMO_NEW_ASSIGNMENT_01", c).size(), "the worker's phone gets the card");
        assertTrue(texts("o-routing-li").contains("已安排给姚关镇社工站"), "the resident is told");
        JsonNode page = as("shidian").json("/api/cases/" + c.id());
        assertEquals("其他求助", page.get("rule").asText());
        assertEquals("ACCEPT", page.get("deadline").get("step").asText());
        assertEquals("OK", page.get("deadline").get("state").asText());

        service.clock.advance(Duration.ofHours(25)); // a day on (Tuesday 10:00 from Monday 9:00): three quarters of the time to accept are gone
        assertEquals(0, sweep.runOnce().routed());
        assertEquals(1, cards(zhaoPhone, "SG_DEMO_DEADLINE_WARNING_01", c).size(), "the worker is reminded (acceptance and first contact: one card)");
        service.clock.advance(Deadlines.RECHECK.plusMinutes(1)); // past its quiet time: read again, and still amber
        try (Shegong replica = service.startReplica()) {
            replica.caseSweep().runOnce();
        }
        service.clock.advance(Deadlines.RECHECK.plusMinutes(1));
        sweep.runOnce();
        assertEquals(1, cards(zhaoPhone, "SG_DEMO_DEADLINE_WARNING_01", c).size(), "once, whoever sweeps");
        assertEquals("AMBER", as("shidian").json("/api/cases/" + c.id()).get("deadline").get("state").asText());

        service.clock.advance(Duration.ofHours(9)); // the evening: acceptance and first contact are late
        sweep.runOnce();
        assertEquals(2, service.shegong.cases().find(c.id()).orElseThrow().timeline().stream().filter(e -> e.kind().equals("deadline_missed"))
                .count(), "acceptance and first contact");
        assertEquals(1, cards(headPhone, "SG_DEMO_DEADLINE_WARNING_01", c).size(), "the station head is told, in one card");
        assertTrue(texts("o-routing-li").contains("0875-8123456"), "the resident is told honestly, with the station's phone");

        assertTrue(service.platform.says(zhaoPhone, "接单 " + routed.number()).replyText().orElse("").contains("已接单"));
        assertTrue(service.platform.says(zhaoPhone, "联系 " + routed.number()).ok());
        JsonNode after = as("shidian").json("/api/cases/" + c.id());
        assertEquals("CLOSE", after.get("deadline").get("step").asText(), "accepted and contacted: only closing is left");
    }

    @Test
    void aRequestWithNoKnownPlaceWaitsUntilTheCitySetsItThenIsRouted() throws Exception {
        Case c = asks("o-routing-wang", "我不想活了");
        CaseSweep sweep = service.shegong.caseSweep();
        sweep.runOnce();
        assertEquals(Case.Status.NEW, service.shegong.cases().find(c.id()).orElseThrow().status(), "no station without a place");
        assertEquals(404, as("shidian").post("/api/cases/" + c.id() + "/place", Map.of("township", YAOGUAN, "version", 0)).statusCode(),
                "a county cannot see a request with no place");
        ConsoleClient city = as("city");
        int version = city.json("/api/cases/" + c.id()).get("version").asInt();
        city.act("/api/cases/" + c.id() + "/place", Map.of("township", YAOGUAN, "version", version));
        sweep.runOnce();
        Case routed = service.shegong.cases().find(c.id()).orElseThrow();
        assertEquals(Case.Status.ASSIGNED, routed.status());
        assertEquals("紧急求助", city.json("/api/cases/" + c.id()).get("rule").asText());
    }

    @Test
    void onlyTheCityEditsTheRulesAndABadRuleIsRefusedWithItsReason() throws Exception {
        ConsoleClient city = as("city");
        JsonNode current = city.json("/api/routing/rules");
        String text = current.get("text").asText();
        assertEquals(403, put(as("shidian"), Map.of("text", text, "version", current.get("version").asInt())).statusCode());
        var bad = put(city, Map.of("text", text.replace("choose: least_loaded", "choose: whoever"), "version", current.get("version").asInt()));
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("least_loaded, round_robin, head"), bad.body());
        JsonNode preview = city.act("/api/routing/preview", Map.of("category", "children", "township", YAOGUAN, "urgent", false));
        assertEquals("儿童关爱", preview.get("rule").asText());
        assertEquals("1wd", preview.get("deadlines").get("first_contact").asText());
        assertFalse(city.json("/api/routing/rules").get("updatedBy").asText().equals("city"), "nothing saved by the refused edit");
    }

    java.net.http.HttpResponse<String> put(ConsoleClient c, Map<String, ?> body) throws Exception {
        return c.http.send(java.net.http.HttpRequest.newBuilder(c.uri("/api/routing/rules")).header("Content-Type", "application/json")
                .header("X-CSRF-Token", c.csrf).PUT(java.net.http.HttpRequest.BodyPublishers.ofString(ConsoleClient.JSON.writeValueAsString(body)))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRequestSentBackTwiceGoesUpToTheCounty() throws Exception {
        // by its full number: tests before it may have left open requests of other days with the same short code
        Case c = asks("o-routing-zhou", "同意", "我爷爷八十岁了，一个人住，想找人每周上门看看", "施甸县姚关镇 13800003333 我姓周", "1");
        service.shegong.caseSweep().runOnce();
        Case routed = service.shegong.cases().find(c.id()).orElseThrow();
        assertEquals(java.util.Optional.of(zhao.id()), routed.assigneeId());
        assertTrue(service.platform.says(zhaoPhone, "退回 " + routed.number() + " 这周在县里培训").replyText().orElse("").contains("已退回"));
        Case back = service.shegong.cases().find(c.id()).orElseThrow();
        assertEquals(Case.Status.NEW, back.status(), "back in the station's inbox");
        assertFalse(as("shidian").json("/api/cases/" + c.id()).get("escalated").asBoolean(), "once is not yet the county's business");
        service.shegong.cases().assignment().assign(c.id(), back.version(), YAOGUAN, java.util.Optional.of(zhao.id()), java.util.Optional.of("赵社工"),
                service.clock.instant());
        assertTrue(service.platform.says(zhaoPhone, "退回 " + routed.number() + " 还是排不开").replyText().orElse("").contains("已退回"));
        assertTrue(as("shidian").json("/api/cases/" + c.id()).get("escalated").asBoolean(), "sent back twice: the county sees it");
    }

    @Test
    void aRequestPutBackInTheInboxAfterItsTimeToAssignIsTheHeadsAtTheNextSweepThoughItLookedQuiet() throws Exception {
        Instant opened = service.clock.instant();
        Case wu = taken(asks("o-routing-wu", "同意", "我外婆一个人住在村里，八十多了，想请社工定期上门看看", "施甸县姚关镇 13800005555 我姓吴", "1"));
        Case zheng = taken(asks("o-routing-zheng", "同意", "我奶奶八十多岁了一个人住，想找人定期上门照看一下", "施甸县姚关镇 13800006666 我姓郑", "1"));
        Instant assignDue = Limit.parse("1wd").due(opened, new WorkCalendar()); // the rule 其他求助: assigned within a working day
        service.clock.advance(Duration.between(opened, assignDue).multipliedBy(3).dividedBy(4).plusMinutes(1));
        CaseSweep sweep = service.shegong.caseSweep();
        sweep.runOnce(); // accepted and contacted: nothing is due, and the requests are left alone for a while
        assertEquals(List.of(), cards(headPhone, "SG_DEMO_DEADLINE_WARNING_01", wu));

        assertTrue(service.platform.says(zhaoPhone, "退回 " + wu.number() + " 家里有急事要请假").replyText().orElse("").contains("已退回"));
        int version = as("city").json("/api/cases/" + zheng.id()).get("version").asInt();
        as("city").act("/api/cases/" + zheng.id() + "/assign", Map.of("workerId", "", "version", version)); // the station, nobody in it yet
        sweep.runOnce(); // no time passes: back in the inbox, three quarters of their time to be assigned are gone
        assertEquals(1, cards(headPhone, "SG_DEMO_DEADLINE_WARNING_01", wu).size(), "the station head is reminded to assign it");
        assertEquals(1, cards(headPhone, "SG_DEMO_DEADLINE_WARNING_01", zheng).size(), "and this one");
    }

    /** Routed to 赵社工, who accepts it and calls the person. */
    Case taken(Case c) {
        service.shegong.caseSweep().runOnce();
        Case routed = service.shegong.cases().find(c.id()).orElseThrow();
        assertEquals(java.util.Optional.of(zhao.id()), routed.assigneeId());
        assertTrue(service.platform.says(zhaoPhone, "接单 " + routed.number()).replyText().orElse("").contains("已接单"));
        assertTrue(service.platform.says(zhaoPhone, "联系 " + routed.number()).ok());
        return routed;
    }

    @Test
    void aRequestsTranscriptIsTheIntakeThatOpenedItNotWhatCameBefore() {
        String openid = "o-routing-transcript";
        assertTrue(service.platform.says(openid, "你好").ok());
        service.clock.advance(Duration.ofMinutes(5));
        Case c = asks(openid, "同意", "我爸瘫在床上，我在外地打工，家里没人照顾他", "施甸县姚关镇 13800006666 我姓杨", "1");
        List<String> transcript = service.shegong.messages().forCase(c.id()).stream().map(m -> m.content()).toList();
        assertTrue(transcript.contains("我爸瘫在床上，我在外地打工，家里没人照顾他"), transcript.toString());
        assertTrue(transcript.contains("施甸县姚关镇 13800006666 我姓杨"), transcript.toString());
        assertTrue(transcript.stream().anyMatch(m -> m.contains(c.number())), "the answer with the number: " + transcript);
        assertFalse(transcript.contains("你好"), "an earlier greeting is not part of the request: " + transcript);
    }

    @Test
    void aDuplicateRequestIsMergedWithItsTranscriptAndTheResidentIsToldOnce() throws Exception {
        Case daughter = asks("o-routing-daughter", "同意", "我妈妈在姚关镇一个人住，最近腿摔伤了没人照顾", "施甸县姚关镇 13800004444 我姓段", "1");
        Case neighbour = asks("o-routing-neighbour", "同意", "隔壁段奶奶腿摔伤了，一个人在家，能不能来看看", "施甸县姚关镇 13800005555 我姓李", "1");
        ConsoleClient city = as("city");
        int version = city.json("/api/cases/" + neighbour.id()).get("version").asInt();
        assertEquals(400, city.post("/api/cases/" + neighbour.id() + "/merge", Map.of("into", "BS00000000-9999", "version", version))
                .statusCode());
        city.act("/api/cases/" + neighbour.id() + "/merge", Map.of("into", daughter.number(), "version", version));
        assertEquals(Case.Status.CANCELLED, service.shegong.cases().find(neighbour.id()).orElseThrow().status(), "the duplicate ends");
        JsonNode kept = city.json("/api/cases/" + daughter.id());
        assertTrue(kept.get("transcript").toString().contains("隔壁段奶奶"), "its transcript moved along");
        assertTrue(kept.get("timeline").findValues("kind").stream().anyMatch(k -> k.asText().equals("merged_from")));
        service.shegong.outbox().runOnce();
        assertEquals(1, service.fakeApi.received("o-routing-neighbour").stream().filter(r -> r.toString().contains("已经合并到")).count(),
                "the neighbour is told once which number goes on");
        assertEquals(409, city.post("/api/cases/" + neighbour.id() + "/merge", Map.of("into", daughter.number(), "version", version + 1))
                .statusCode(), "an ended request is not merged again");
    }
}
