package cn.shegong.server;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.bot.visits.VisitSweep;
import cn.shegong.core.casework.Category;
import cn.shegong.core.households.Household;
import cn.shegong.core.households.HouseholdStore;
import cn.shegong.core.households.Visit;
import cn.shegong.core.staff.Worker;
import cn.shegong.fakewechat.FakeWeChat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Home visits end to end, on a clock set to a Baoshan morning: the sweep reminds the bound worker
 * once a day (not twice, not from a second replica, not in the quiet hours), the worker sees the
 * visit in 任务 and records it by reply, which schedules the next; an overdue visit reaches the
 * station head, then the county.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VisitsTest {

    static final ZoneId BAOSHAN = ZoneId.of("Asia/Shanghai");
    static final String STATION = "530521105";

    RunningService service;
    Worker zhao;
    Worker head;
    final String zhaoPhone = "o-visits-zhao";
    final String headPhone = "o-visits-head";

    @BeforeAll
    void start() {
        service = new RunningService(Clock.systemUTC(), new Shegong.Seams(c -> c, false));
        zhao = bound("赵社工", Worker.Role.WORKER, zhaoPhone);
        head = bound("钱站长", Worker.Role.HEAD, headPhone);
    }

    @AfterAll
    void stop() {
        service.close();
    }

    Worker bound(String name, Worker.Role role, String phone) {
        Worker w = service.shegong.staff().addWorker(name, STATION, role, List.of(Category.ELDERLY), 10);
        String code = service.shegong.bindCodes().create(w.id(), service.clock.instant());
        assertTrue(service.platform.says(phone, "绑定 " + code).replyText().orElse("").contains("绑定成功"));
        return service.shegong.staff().worker(w.id()).orElseThrow();
    }

    String enrol(String name, String id, String category, LocalDate since, Household.Risk risk) {
        return service.shegong.households().registry().enrol(new HouseholdStore.Facts(List.of(new Household.Member(name, Optional.of(id),
                Optional.of("13800009876"), "本人", Optional.empty())), STATION, "530521", "太平村", "太平镇太平村5组",
                Map.of(category, since), risk, "每月上门"), Optional.of(zhao.id()), today(), service.clock.instant()).id();
    }

    LocalDate today() {
        return service.clock.instant().atZone(BAOSHAN).toLocalDate();
    }

    /** Moves the clock forward to the next {@code hour}:00 in Baoshan. */
    void toNext(int hour) {
        ZonedDateTime now = service.clock.instant().atZone(BAOSHAN);
        ZonedDateTime at = now.withHour(hour).withMinute(0).withSecond(0).withNano(0);
        service.clock.advance(Duration.between(now, at.isAfter(now) ? at : at.plusDays(1)));
    }

    List<FakeWeChat.Received> received(String openid, String templateId) {
        service.shegong.outbox().runOnce();
        return service.fakeApi.received(openid).stream().filter(r -> templateId.equals(r.payload().get("template_id"))).toList();
    }

    @Test
    void aDueVisitIsRemindedOnceTheWorkerRecordsItAndTheNextIsScheduled() {
        toNext(9); // a morning in Baoshan, outside the quiet hours
        LocalDate today = today();
        String id = enrol("孙秀英", "530521195503010020", "liushou_laoren", today.minusMonths(3), Household.Risk.MEDIUM);
        String code = service.shegong.households().households().find(id).orElseThrow().nextVisit().orElseThrow();

        VisitSweep.Result first = service.shegong.households().sweep().runOnce();
        assertTrue(first.reminded() >= 1, "reminded: " + first);
        List<FakeWeChat.Received> cards = received(zhaoPhone, "SG_DEMO_VISIT_DUE_01");
        String card = cards.toString();
        assertTrue(card.contains(code) && card.contains("孙*") && card.contains("留守老人"), card);
        assertFalse(card.contains("13800009876") || card.contains("530521195503010020") || card.contains("孙秀英"), "nothing sensitive on the card");

        service.shegong.households().sweep().runOnce();
        try (Shegong replica = service.startReplica()) {
            replica.households().sweep().runOnce(); // another instance sweeping the same day
        }
        assertEquals(cards.size(), received(zhaoPhone, "SG_DEMO_VISIT_DUE_01").size(), "one reminder a day, whoever sweeps");

        String tasks = service.platform.says(zhaoPhone, "任务").replyText().orElse("");
        assertTrue(tasks.contains("待走访") && tasks.contains(code), tasks);
        String recorded = service.platform.says(zhaoPhone, "记录 " + code + " 老人身体还好，屋里有点冷").replyText().orElse("");
        assertTrue(recorded.contains("已记录走访") && recorded.contains("下次走访"), recorded);

        Visit done = service.shegong.households().visits().find(code).orElseThrow();
        assertEquals(Visit.Status.DONE, done.status());
        assertEquals(Optional.of("老人身体还好，屋里有点冷"), done.note());
        Visit next = service.shegong.households().visits().find(service.shegong.households().households().find(id).orElseThrow().nextVisit().orElseThrow()).orElseThrow();
        assertEquals(today.plusMonths(1), next.due());
        assertTrue(service.platform.says(zhaoPhone, "记录 " + code + " 再记一次").replyText().orElse("").contains("已经记录过了"));
    }

    @Test
    void quietHoursSendNothingAndOverdueVisitsGoUpToTheHeadThenTheCounty() {
        toNext(9);
        enrol("周德明", "53052119400229004X", "guer", today().minusMonths(4), Household.Risk.HIGH);
        toNext(22);
        assertTrue(service.shegong.households().sweep().runOnce().quiet());

        toNext(9);
        service.clock.advance(Duration.ofDays(7)); // a week overdue
        VisitSweep.Result late = service.shegong.households().sweep().runOnce();
        assertTrue(late.toHeads() >= 1, late.toString());
        assertFalse(received(headPhone, "SG_DEMO_VISIT_OVERDUE_01").isEmpty(), "the station head is told");

        service.clock.advance(Duration.ofDays(7)); // two weeks overdue
        assertTrue(service.shegong.households().sweep().runOnce().toCounty() >= 1);
    }
}
