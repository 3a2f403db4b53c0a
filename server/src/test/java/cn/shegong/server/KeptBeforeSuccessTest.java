package cn.shegong.server;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import cn.shegong.fakewechat.Pushes;
import cn.shegong.fakewechat.RecordedCall;
import cn.shegong.fakewechat.WeChatPush;
import com.mongodb.client.model.Filters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.params.SetParams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code success} tells WeChat a push is kept: it never retries it. So a push that is not stored
 * yet when WeChat must be answered is kept in the backlog first — whatever happens to the
 * delivery that has it in hand — and handled from there, stored once, answered once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeptBeforeSuccessTest {

    RunningService service;

    @BeforeAll
    void start() {
        service = new RunningService(Clock.systemUTC());
    }

    @AfterAll
    void stop() {
        service.close();
    }

    /**
     * WeChat's retry of a push whose first delivery another replica claimed and has not finished
     * when the retry must be answered: that replica was killed a moment ago and its lease has not
     * run out yet, or it is stuck. The push is stored and answered though that replica never comes back.
     */
    @Test
    void aRetryStillPendingOnAnotherReplicaAtItsDeadlineIsKeptNotOnlyAcknowledged() throws Exception {
        String openid = "o-unfinished";
        long msgId = service.platform.nextMsgId();
        service.fakeApi.follow(openid);
        // A replica that says it is alive (its lease runs a minute) took the first delivery and never finishes it.
        otherReplicaAlive("ghost-replica");
        service.redis.client().set(service.redis.prefix() + "wx:dedup:m" + msgId, "pending:ghost-replica", SetParams.setParams().ex(300));

        WeChatPush.Delivery retry = asksForHelp(openid, msgId);

        assertTrue(retry.ok(), retry.failure());
        assertEquals(1, retry.attempts(), "the retry was answered within WeChat's 5 s");
        List<RecordedCall> calls = service.fakeApi.awaitCalls(c -> c.stream().anyMatch(call -> customTo(call, openid)),
                Duration.ofSeconds(30));
        RecordedCall answer = calls.stream().filter(call -> customTo(call, openid)).findFirst()
                .orElseThrow(() -> new AssertionError("the person was never answered: the push was acknowledged and dropped"));
        @SuppressWarnings("unchecked")
        Map<String, String> text = (Map<String, String>) answer.body().get("text");
        assertTrue(text.get("content").contains("低保"), text.get("content"));
        assertEquals(1, service.db.getCollection("messages").countDocuments(Filters.eq("msgId", msgId)), "the push is stored, once");
    }

    /**
     * A push still waiting for its person's turn (another replica holds it) when WeChat's 5 s run
     * out: WeChat gets {@code success} with the push kept, not only in this handler's hands; once
     * the turn is free it is stored once and the person gets one answer, not one per copy.
     */
    @Test
    void aPushAnsweredLateBeforeItIsStoredIsKeptAndAnsweredOnce() throws Exception {
        String openid = "o-late-unstored";
        long msgId = service.platform.nextMsgId();
        service.fakeApi.follow(openid);
        String prefix = service.redis.prefix();
        otherReplicaAlive("busy-replica");
        holdsTurn("busy-replica", openid);

        WeChatPush.Delivery delivery = asksForHelp(openid, msgId);

        assertTrue(delivery.ok(), delivery.failure());
        assertEquals(1, delivery.attempts(), "answered within WeChat's 5 s");
        assertEquals(0, service.db.getCollection("messages").countDocuments(Filters.eq("msgId", msgId)), "not stored yet: still waiting");
        assertEquals("kept", service.redis.client().get(prefix + "wx:dedup:m" + msgId), "a retry would be told it is kept");
        assertEquals(1, service.redis.client().llen(prefix + "wx:backlog") + workingLists(prefix), "kept in the backlog");

        service.redis.client().del(prefix + "wx:user:" + openid); // the other replica is done with the person
        service.fakeApi.awaitCalls(c -> c.stream().anyMatch(call -> customTo(call, openid)), Duration.ofSeconds(30));
        awaitBacklogEmpty(prefix);
        service.shegong.outbox().runOnce(); // anything the copy's handling queued is sent now
        assertEquals(1, service.db.getCollection("messages").countDocuments(Filters.eq("msgId", msgId)), "stored once");
        assertEquals(1, service.fakeApi.received(openid).size(), "one answer, though the push was in two hands");
    }

    /**
     * The same for an event — following the account — which has no MsgId: a copy could not be
     * stored once, so none is kept; once the turn is free it is handled once, the person welcomed
     * once, exactly as someone who followed at a quiet moment.
     */
    @Test
    void aLateEventIsNotCopiedAndIsHandledOnce() throws Exception {
        String prefix = service.redis.prefix();
        String quiet = "o-follows-quietly";
        String late = "o-follows-late";
        assertTrue(service.platform.follow(quiet, java.util.Optional.empty()).ok());
        otherReplicaAlive("busy-replica");
        holdsTurn("busy-replica", late);

        WeChatPush.Delivery delivery = service.platform.follow(late, java.util.Optional.empty());

        assertTrue(delivery.ok(), delivery.failure());
        assertEquals(1, delivery.attempts(), "answered within WeChat's 5 s");
        assertEquals(0, service.redis.client().llen(prefix + "wx:backlog") + workingLists(prefix), "no copy of an event");
        service.redis.client().del(prefix + "wx:user:" + late);
        awaitHandled(prefix, late);
        service.shegong.outbox().runOnce();
        assertEquals(service.messagesOf(quiet), service.messagesOf(late), "stored and answered as a quiet follow is: once");
        assertEquals(service.fakeApi.received(quiet).size() + 1, service.fakeApi.received(late).size(),
                "welcomed once: what a quiet follow gets in WeChat's reply, the late one as a customer-service message");
    }

    /** Another replica says it is alive: its lease runs a minute. */
    private void otherReplicaAlive(String name) {
        service.redis.client().set(service.redis.prefix() + "instance:" + name, "1", SetParams.setParams().px(60_000));
    }

    /** That replica holds the person's turn, as while it handles an earlier push of theirs. */
    private void holdsTurn(String replica, String openid) {
        service.redis.client().set(service.redis.prefix() + "wx:user:" + openid, replica + "|turn", SetParams.setParams().px(60_000));
    }

    private WeChatPush.Delivery asksForHelp(String openid, long msgId) {
        return service.wechat.deliver(Pushes.text(openid, service.clock.instant().getEpochSecond(), msgId, "我想申请低保，请问要带什么材料"),
                WeChatPush.Mode.PLAINTEXT);
    }

    /** The person's push has its answer kept for retries: its handling is over (bounded poll: it has no other signal). */
    private void awaitHandled(String prefix, String openid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (service.redis.client().keys(prefix + "wx:dedup:e" + openid + ":*").stream()
                .map(k -> service.redis.client().get(k)).anyMatch(v -> v == null || v.startsWith("pending:"))) {
            assertTrue(System.nanoTime() < deadline, "handled within 30 s of its turn");
            Thread.sleep(100);
        }
    }

    private long workingLists(String prefix) {
        return service.redis.client().keys(prefix + "wx:backlog:working:*").stream().mapToLong(k -> service.redis.client().llen(k)).sum();
    }

    /** The drainer's copy is done when nothing is queued or in hand (bounded poll: it has no other signal). */
    private void awaitBacklogEmpty(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (service.redis.client().llen(prefix + "wx:backlog") + workingLists(prefix) > 0) {
            assertTrue(System.nanoTime() < deadline, "the kept copy was handled within 30 s");
            Thread.sleep(100);
        }
    }

    private static boolean customTo(RecordedCall c, String openid) {
        return c.path().equals("/cgi-bin/message/custom/send") && openid.equals(c.body().get("touser"));
    }
}
