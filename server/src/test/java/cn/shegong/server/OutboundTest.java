package cn.shegong.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import cn.shegong.bot.outbound.Outbox;
import cn.shegong.core.outbox.OutboxItem;
import cn.shegong.core.outbox.OutboxItem.Status;
import cn.shegong.core.resident.Resident;
import cn.shegong.fakewechat.Fault;
import cn.shegong.fakewechat.RecordedCall;
import cn.shegong.server.bench.MongoCounts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The delivery ladder against the fake WeChat API, asserting the exact calls. The test drives the
 * outbox itself (no background sender), so every step is deterministic; time moves only when the
 * test moves the shared clock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutboundTest {

    static final String CUSTOM = "/cgi-bin/message/custom/send";
    static final String TEMPLATE = "/cgi-bin/message/template/send";
    static final String TOKEN = "/cgi-bin/stable_token";

    RunningService service;
    final AtomicInteger users = new AtomicInteger();

    @BeforeAll
    void start() {
        // a clock that moves only when a test moves it: the send rate counts per second, and a second
        // ending by itself while 20 sends are under way let one more go in what a test took for one second
        service = new RunningService(Clock.fixed(Instant.parse("2026-11-30T02:00:00Z"), ZoneOffset.UTC), new Shegong.Seams(c -> c, false));
    }

    @AfterAll
    void stop() {
        service.close();
    }

    @BeforeEach
    void clean() {
        service.fakeApi.clearFaults();
    }

    /** A resident who just wrote to us (their 48-hour window is open). */
    String residentWhoJustWrote() {
        String openid = "o-out-" + users.incrementAndGet();
        assertTrue(service.platform.says(openid, "你好").ok());
        return openid;
    }

    List<RecordedCall> calls(String path, String openid) {
        return service.fakeApi.calls().stream()
                .filter(c -> c.path().equals(path) && openid.equals(c.body().get("touser"))).toList();
    }

    OutboxItem item(String id) {
        return service.shegong.outboxStore().find(id).orElseThrow();
    }

    int send() {
        return service.shegong.outbox().runOnce();
    }

    @Test
    void aTextInsideTheWindowIsOneCustomServiceCallWithTheExactPayload() {
        String openid = residentWhoJustWrote();
        String id = service.shegong.outbox().sendText(openid, "李阿姨您好，社工明天上午到您家");
        send();
        List<RecordedCall> sent = calls(CUSTOM, openid);
        assertEquals(1, sent.size());
        assertEquals(Map.of("touser", openid, "msgtype", "text", "text", Map.of("content", "李阿姨您好，社工明天上午到您家")),
                sent.get(0).body());
        assertEquals(Status.SENT, item(id).status());
        assertEquals(Optional.of("customer"), item(id).sentAs());
    }

    @Test
    void theTokenIsFetchedOnceAndSharedByTwoReplicas() {
        String a = residentWhoJustWrote();
        String b = residentWhoJustWrote();
        long tokenCallsBefore = service.fakeApi.calls().stream().filter(c -> c.path().equals(TOKEN)).count();
        try (Shegong replica = service.startReplica()) {
            service.shegong.outbox().sendText(a, "来自第一台");
            service.shegong.outbox().runOnce();
            replica.outbox().sendText(b, "来自第二台");
            replica.outbox().runOnce();
        }
        long tokenCalls = service.fakeApi.calls().stream().filter(c -> c.path().equals(TOKEN)).count() - tokenCallsBefore;
        assertTrue(tokenCalls <= 1, "one fetch at most (none if an earlier test fetched it): " + tokenCalls);
        assertEquals(calls(CUSTOM, a).get(0).query().get("access_token"), calls(CUSTOM, b).get(0).query().get("access_token"),
                "both replicas used the same token");
    }

    @Test
    void anErrcodeInsideA200IsAFailureThatIsRetriedAfterBackoff() {
        String openid = residentWhoJustWrote();
        service.fakeApi.inject(Fault.errcode(CUSTOM, -1, 1));
        String id = service.shegong.outbox().sendText(openid, "系统繁忙时的消息");
        send();
        assertEquals(Status.PENDING, item(id).status(), "HTTP 200 with errcode -1 is not a success");
        assertEquals(Optional.of("-1 WeChat busy or unreachable"), item(id).lastError());
        assertEquals(0, send(), "not again before the backoff has passed");

        service.clock.advance(Outbox_backoff(1).plusSeconds(1));
        send();
        assertEquals(2, calls(CUSTOM, openid).size());
        assertEquals(Status.SENT, item(id).status());
        assertEquals(2, item(id).attempts());
    }

    @Test
    void invalidTokenIsRefreshedOnceAndTheCallRetriedOnce() {
        String openid = residentWhoJustWrote();
        service.shegong.outbox().sendText(openid, "预热令牌");
        send();
        service.fakeApi.invalidateTokens();
        service.fakeApi.clearCalls();

        String id = service.shegong.outbox().sendText(openid, "令牌失效后的消息");
        send();
        List<String> sequence = service.fakeApi.calls().stream().map(c -> c.path() + " " + c.errcode()).toList();
        assertEquals(List.of(CUSTOM + " 40001", TOKEN + " 0", CUSTOM + " 0"), sequence);
        assertEquals(Status.SENT, item(id).status());
    }

    @Test
    void dailyQuotaBacksOffForAtLeastAMinute() {
        String openid = residentWhoJustWrote();
        service.fakeApi.inject(Fault.errcode(CUSTOM, 45009, 1));
        String id = service.shegong.outbox().sendText(openid, "配额用完时的消息");
        send();
        assertEquals(Status.PENDING, item(id).status());
        service.clock.advance(Duration.ofSeconds(30));
        assertEquals(0, send(), "quota errors wait longer than ordinary retries");
        assertEquals(1, calls(CUSTOM, openid).size());

        service.clock.advance(Duration.ofSeconds(31));
        send();
        assertEquals(Status.SENT, item(id).status());
        String metrics = service.getAdmin("/observe/metrics").body();
        assertTrue(metrics.contains("shegong_outbox_failures_total{errcode=\"45009\""), "failures counted by errcode: " + metrics);
        assertTrue(metrics.contains("shegong_outbox_waiting"), "the outbox's depth is a gauge");
    }

    @Test
    void outOfWindowAnswerFallsBackToTheTemplateMessage() {
        String openid = residentWhoJustWrote();
        service.fakeApi.inject(Fault.errcode(CUSTOM, 45015, 1));
        String id = service.shegong.outbox().sendText(openid, "这条消息超过了四十八小时窗口，需要改用模板消息发送");
        send();
        assertEquals(1, calls(CUSTOM, openid).size());
        List<RecordedCall> templates = calls(TEMPLATE, openid);
        assertEquals(1, templates.size());
        assertEquals("SG_DEMO_MESSAGE_WAITING_01", templates.get(0).body().get("template_id"));
        assertEquals(id, templates.get(0).body().get("client_msg_id"), "idempotency key: the outbox item");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, String>> data = (Map<String, Map<String, String>>) templates.get(0).body().get("data");
        assertEquals("这条消息超过了四十八小时窗口，需要改用…", data.get("thing2").get("value"), "cut to WeChat's 20 characters");
        assertEquals(Status.SENT, item(id).status());
        assertEquals(Optional.of("template"), item(id).sentAs());
    }

    @Test
    void afterFortyEightHoursNoCustomServiceCallIsEvenTried() throws Exception {
        String openid = residentWhoJustWrote();
        service.clock.advance(Duration.ofHours(49));
        String id = service.shegong.outbox().sendText(openid, "两天后的回访");
        send();
        assertEquals(0, calls(CUSTOM, openid).size());
        assertEquals(1, calls(TEMPLATE, openid).stream().filter(c -> c.errcode() == 0).count(),
                "one template message (after a token refresh if the token aged out meanwhile)");
        assertEquals(Status.SENT, item(id).status());

        assertTrue(service.platform.awaitReport(openid, Duration.ofSeconds(10)));
        assertTrue(service.shegong.outboxStore().forOpenid(openid).stream()
                .anyMatch(i -> i.delivery().equals(Optional.of("success"))), "WeChat's TEMPLATESENDJOBFINISH is recorded");
    }

    @Test
    void unfollowedResidentIsUnreachableAndNeverRetried() {
        String openid = residentWhoJustWrote();
        service.fakeApi.unfollow(openid); // WeChat knows; our service has not heard yet
        String id = service.shegong.outbox().sendText(openid, "已取消关注的人");
        send();
        assertEquals(Status.UNREACHABLE, item(id).status());
        assertEquals(Resident.Status.UNSUBSCRIBED, service.shegong.residents().find(openid).orElseThrow().status());
        service.clock.advance(Duration.ofHours(1));
        send();
        assertEquals(1, calls(CUSTOM, openid).size() + calls(TEMPLATE, openid).size(), "43004 is never retried");
    }

    @Test
    void serverErrorsAreRetriedABoundedNumberOfTimes() {
        String openid = residentWhoJustWrote();
        service.fakeApi.inject(Fault.httpStatus(CUSTOM, 502, 100));
        String id = service.shegong.outbox().sendText(openid, "网关一直出错");
        for (int i = 0; i < 10; i++) {
            send();
            service.clock.advance(Duration.ofMinutes(11));
        }
        assertEquals(6, calls(CUSTOM, openid).size(), "six attempts, then give up");
        assertEquals(Status.FAILED, item(id).status());
        assertTrue(item(id).lastError().orElse("").startsWith("gave up after 6 attempts"), item(id).lastError().toString());
    }

    @Test
    void nothingIsSentTwiceWhenTwoReplicasRunTheOutbox() throws Exception {
        List<String> openids = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            openids.add(residentWhoJustWrote());
        }
        try (Shegong replica = service.startReplica()) {
            for (String openid : openids) {
                service.shegong.outbox().sendText(openid, "并发消息 " + openid);
            }
            for (int round = 0; round < 3; round++) { // the rate limit defers a few to the next second
                var first = CompletableFuture.runAsync(() -> service.shegong.outbox().runOnce());
                var second = CompletableFuture.runAsync(() -> replica.outbox().runOnce());
                CompletableFuture.allOf(first, second).get();
                service.clock.advance(Duration.ofSeconds(2));
            }
        }
        Set<String> texts = new HashSet<>();
        for (String openid : openids) {
            List<RecordedCall> sent = calls(CUSTOM, openid);
            assertEquals(1, sent.size(), openid + " got " + sent.size());
            @SuppressWarnings("unchecked")
            Map<String, String> text = (Map<String, String>) sent.get(0).body().get("text");
            texts.add(text.get("content"));
        }
        assertEquals(24, texts.size());
    }

    @Test
    void aBacklogBeyondTheSecondsSendsWaitsUntouchedAndGoesOldestFirst() {
        List<String> openids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            openids.add(residentWhoJustWrote());
        }
        service.clock.advance(Outbox.MENU_AFTER_REPLY);
        for (int i = 0; i < 60 && send() > 0; i++) { // what is due before (menus after the replies to 你好), sent first
            service.clock.advance(Duration.ofSeconds(1));
        }
        service.clock.advance(Duration.ofSeconds(1)); // a second in which nothing was sent yet
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < openids.size(); i++) {
            ids.add(service.shegong.outbox().sendText(openids.get(i), "排队的消息 " + i));
        }
        List<java.time.Instant> due = ids.stream().map(id -> item(id).nextAttemptAt()).toList();

        send();

        for (int i = 0; i < 20; i++) {
            assertEquals(1, calls(CUSTOM, openids.get(i)).size(), "the 20 oldest go in the first second: " + i);
        }
        for (int i = 20; i < 30; i++) {
            assertEquals(0, calls(CUSTOM, openids.get(i)).size(), "past the second's sends: " + i);
            assertEquals(Status.PENDING, item(ids.get(i)).status());
            assertEquals(due.get(i), item(ids.get(i)).nextAttemptAt(), "left where it waited, not claimed and put back");
        }
        service.clock.advance(Duration.ofSeconds(1));
        send();
        for (int i = 20; i < 30; i++) {
            assertEquals(1, calls(CUSTOM, openids.get(i)).size(), "sent in the next second: " + i);
            assertEquals(1, item(ids.get(i)).attempts());
        }
        service.clock.advance(Duration.ofSeconds(1));
    }

    @Test
    void oneLookAtABacklogServesTheSendsOfTheNextSeconds() throws Exception {
        List<String> openids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            openids.add(residentWhoJustWrote());
        }
        service.clock.advance(Outbox.MENU_AFTER_REPLY);
        for (int i = 0; i < 60 && send() > 0; i++) { // what the greetings queued
            service.clock.advance(Duration.ofSeconds(1));
        }
        service.clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < openids.size(); i++) {
            service.shegong.outbox().sendText(openids.get(i), "排队的消息 " + i);
        }
        double scrape = finds() - finds(); // minus one scrape's own look (the outbox gauge's)
        double before = finds();
        for (int second = 0; second < 3; second++) { // 20 a second
            send();
            service.clock.advance(Duration.ofSeconds(1));
        }
        double looks = finds() - before + scrape;

        for (int i = 0; i < openids.size(); i++) {
            assertEquals(1, calls(CUSTOM, openids.get(i)).size(), "sent once, within three seconds: " + i);
        }
        assertEquals(2, looks, "the first look, and one more once its finds were used up, not one a second");
    }

    /** The finds on {@code outbox} counted so far (the scrape's own included). */
    private double finds() {
        return MongoCounts.parse(service.getAdmin("/observe/metrics").body()).of("find", "outbox");
    }

    @Test
    void aMenuThatWaitedPastAMinuteIsDroppedNotSentLate() {
        String late = residentWhoJustWrote();
        String onTime = residentWhoJustWrote();
        var menu = new OutboxItem.Menu("请选择：", List.of(new OutboxItem.Option("101", "同意"), new OutboxItem.Option("102", "不同意")), "");
        String stale = service.shegong.outbox().sendMenuAfterReply(late, menu);
        service.clock.advance(Outbox.MENU_FRESH.plusSeconds(1));
        String fresh = service.shegong.outbox().sendMenuAfterReply(onTime, menu);
        service.clock.advance(Outbox.MENU_AFTER_REPLY);
        for (int i = 0; i < 60 && send() > 0; i++) {
            service.clock.advance(Duration.ofSeconds(1));
        }
        assertTrue(calls(CUSTOM, late).stream().noneMatch(c -> "msgmenu".equals(c.body().get("msgtype"))), "options for an old question");
        assertTrue(service.shegong.outboxStore().find(stale).isEmpty(), "dropped, not archived: nobody follows it up");
        assertEquals(1, calls(CUSTOM, onTime).stream().filter(c -> "msgmenu".equals(c.body().get("msgtype"))).count());
        assertEquals(Status.SENT, item(fresh).status());
    }

    static Duration Outbox_backoff(int attempts) {
        return Duration.ofSeconds(5L << (attempts - 1));
    }
}
