package cn.shegong.core.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.core.testing.TestMongo;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboxStoreTest {

    @RegisterExtension
    static final TestMongo mongo = new TestMongo();
    OutboxStore store;
    com.mongodb.client.MongoDatabase db;
    final Instant t0 = Instant.parse("2026-11-29T02:00:00Z");

    @BeforeEach
    void fresh() {
        var db = mongo.fresh("outbox_test");
        this.db = db;
        store = new OutboxStore(db, new cn.shegong.core.storage.FieldCipher(new byte[32]));
        store.ensureIndexes();
    }

    String enqueue() {
        return store.enqueue("o-1", Optional.of("你好"), Optional.of(new OutboxItem.Notice("message_waiting", Map.of("preview", "你好"))), t0);
    }

    @Test
    void textsAndNoticeValuesAreUnreadableAtRestAndReadBackWhole() {
        String id = store.enqueue("o-li", Optional.of("李女士，您的电话 13800001234 已记录"),
                Optional.of(new OutboxItem.Notice("case_update", Map.of("preview", "我婆婆摔了一跤"))), t0);
        String raw = db.getCollection("outbox").find().first().toJson();
        for (String secret : List.of("李女士", "13800001234", "婆婆")) {
            assertTrue(!raw.contains(secret), secret + " is readable in the raw outbox document");
        }
        OutboxItem item = store.find(id).orElseThrow();
        assertEquals("李女士，您的电话 13800001234 已记录", item.text().orElseThrow());
        assertEquals("我婆婆摔了一跤", item.notice().orElseThrow().values().get("preview"));
    }

    @Test
    void anItemSeenDueIsClaimedOnlyWhileItIsStillAsSeenAndDue() {
        String id = enqueue();
        OutboxStore.Due seen = store.due(t0, 10).getFirst();
        assertEquals(id, seen.id().toHexString());
        assertEquals(id, store.claim(seen, t0, Duration.ofMinutes(1)).orElseThrow().id());
        assertEquals(Optional.empty(), store.claim(seen, t0, Duration.ofMinutes(1)), "claimed once: it moved on");

        String later = store.enqueue("o-2", Optional.of("稍后"), Optional.empty(), t0, t0.plusSeconds(60));
        OutboxStore.Due notYet = new OutboxStore.Due(new ObjectId(later), 0, OutboxItem.Status.PENDING.name()); // as a replica saw it
        assertEquals(Optional.empty(), store.claim(notYet, t0.plusSeconds(59), Duration.ofMinutes(1)), "as seen, but not yet due");
        assertEquals(later, store.claim(notYet, t0.plusSeconds(60), Duration.ofMinutes(1)).orElseThrow().id());

        OutboxStore.Due sending = new OutboxStore.Due(new ObjectId(later), 1, OutboxItem.Status.SENDING.name());
        assertEquals(Optional.empty(), store.claim(sending, t0.plusSeconds(61), Duration.ofMinutes(1)), "its lease still runs");
        assertEquals(later, store.claim(sending, t0.plusSeconds(121), Duration.ofMinutes(1)).orElseThrow().id(), "taken over");
    }

    @Test
    void onlyMenusStillWaitingFromBeforeTheCutoffAreDropped() {
        var menu = new OutboxItem.Menu("请选择：", List.of(new OutboxItem.Option("101", "同意")), "");
        String old = store.enqueueMenu("o-1", menu, t0, t0);
        String beingSent = store.enqueueMenu("o-2", menu, t0, t0);
        assertEquals(beingSent, claimDue(store, t0, Duration.ofMinutes(1), 2).stream().map(OutboxItem::id).filter(beingSent::equals)
                .findFirst().orElseThrow()); // both were due; "old" goes back to waiting below
        store.defer(old, t0);
        String text = enqueue();
        String fresh = store.enqueueMenu("o-3", menu, t0.plusSeconds(30), t0.plusSeconds(30));
        assertEquals(1, store.dropMenusQueuedBefore(t0.plusSeconds(10)));
        assertTrue(store.find(old).isEmpty(), "dropped, and not archived");
        for (String kept : List.of(beingSent, text, fresh)) {
            assertTrue(store.find(kept).isPresent(), kept);
        }
    }

    @Test
    void anItemIsClaimedOnceUntilItsLeaseRunsOut() {
        String id = enqueue();
        OutboxItem claimed = claimDue(store, t0, Duration.ofMinutes(1)).orElseThrow();
        assertEquals(id, claimed.id());
        assertEquals(1, claimed.attempts());
        assertEquals(Optional.empty(), claimDue(store, t0.plusSeconds(30), Duration.ofMinutes(1)), "held by the first claim");
        assertEquals(id, claimDue(store, t0.plusSeconds(61), Duration.ofMinutes(1)).orElseThrow().id(),
                "a claim whose replica died is taken over after the lease");
    }

    @Test
    void retryWaitsAndDeferDoesNotCountAnAttempt() {
        String id = enqueue();
        claimDue(store, t0, Duration.ofMinutes(1));
        store.retry(id, t0.plusSeconds(5), "-1 busy");
        assertEquals(Optional.empty(), claimDue(store, t0.plusSeconds(4), Duration.ofMinutes(1)));
        OutboxItem again = claimDue(store, t0.plusSeconds(5), Duration.ofMinutes(1)).orElseThrow();
        assertEquals(2, again.attempts());
        store.defer(id, t0.plusSeconds(6));
        assertEquals(1, store.find(id).orElseThrow().attempts());
    }

    @Test
    void aDeliveryReportThatArrivesBeforeTheSendIsRecordedIsNotLost() {
        String id = enqueue();
        claimDue(store, t0, Duration.ofMinutes(1));
        store.recordDelivery(200163900L, "success"); // WeChat was faster than our write
        store.sent(id, "template", Optional.of(200163900L), t0);
        assertEquals(Optional.of("success"), store.find(id).orElseThrow().delivery());
    }

    @Test
    void aDeliveryReportAfterTheSendIsRecordedOnTheItem() {
        String id = enqueue();
        claimDue(store, t0, Duration.ofMinutes(1));
        store.sent(id, "template", Optional.of(200163901L), t0);
        store.recordDelivery(200163901L, "failed:user block");
        OutboxItem item = store.find(id).orElseThrow();
        assertEquals(Optional.of("failed:user block"), item.delivery());
        assertEquals(OutboxItem.Status.SENT, item.status());
        assertTrue(item.sentAt().isPresent());
    }

    @Test
    void aFinishedItemLeavesTheWaitingOnesAndStaysFindableForItsPerson() {
        String sent = enqueue();
        String failed = enqueue();
        String waiting = enqueue();
        claimDue(store, t0, Duration.ofMinutes(1));
        claimDue(store, t0, Duration.ofMinutes(1));
        store.sent(sent, "text", Optional.empty(), t0);
        store.finish(failed, OutboxItem.Status.FAILED, "48001 api unauthorized");
        assertEquals(1, db.getCollection("outbox").countDocuments(), "only what is still to send is looked at by each claim");
        assertEquals(OutboxItem.Status.SENT, store.find(sent).orElseThrow().status());
        assertEquals(Optional.of("48001 api unauthorized"), store.find(failed).orElseThrow().lastError());
        assertEquals(List.of(sent, failed, waiting), store.forOpenid("o-1").stream().map(OutboxItem::id).toList());
        assertEquals(1, store.backlog().pending());
        assertEquals(waiting, claimDue(store, t0.plusSeconds(1), Duration.ofMinutes(1)).orElseThrow().id());
    }

    @Test
    void anItemACrashLeftMarkedFinalAmongTheWaitingOnesIsMovedAtStartAndNeverSentAgain() {
        String id = enqueue();
        db.getCollection("outbox").updateOne(com.mongodb.client.model.Filters.eq("_id", new org.bson.types.ObjectId(id)),
                com.mongodb.client.model.Updates.set("status", OutboxItem.Status.SENT.name())); // marked, then the replica died
        assertEquals(Optional.empty(), claimDue(store, t0.plusSeconds(120), Duration.ofMinutes(1)), "a final item is never claimed");
        assertEquals(1, store.archiveFinished());
        assertEquals(0, db.getCollection("outbox").countDocuments());
        assertEquals(OutboxItem.Status.SENT, store.find(id).orElseThrow().status());
        assertEquals(0, store.archiveFinished(), "moving again finds nothing");
    }

    @Test
    void aBatchClaimsEachDueItemOnceMostOverdueFirstAndTwoSendersNeverShareOne() {
        String later = store.enqueue("o-1", Optional.of("b"), Optional.empty(), t0, t0.plusSeconds(5));
        String first = store.enqueue("o-1", Optional.of("a"), Optional.empty(), t0, t0);
        store.enqueue("o-1", Optional.of("c"), Optional.empty(), t0, t0.plusSeconds(600)); // not due yet
        OutboxStore other = new OutboxStore(db, new cn.shegong.core.storage.FieldCipher(new byte[32])); // another replica
        List<OutboxItem> mine = claimDue(store, t0.plusSeconds(10), Duration.ofMinutes(1), 32);
        assertEquals(List.of(first, later), mine.stream().map(OutboxItem::id).toList());
        assertEquals(List.of(), claimDue(other, t0.plusSeconds(10), Duration.ofMinutes(1), 32), "leased to the first sender");
        store.sent(first, "text", Optional.empty(), t0.plusSeconds(11));
        assertEquals(List.of(later), claimDue(other, t0.plusSeconds(71), Duration.ofMinutes(1), 32).stream().map(OutboxItem::id).toList(),
                "an unfinished lease is taken over; a sent item is not");
    }

    @Test
    void anItemQueuedBeforeVersionsExistedIsStillSent() {
        String id = enqueue();
        db.getCollection("outbox").updateOne(com.mongodb.client.model.Filters.eq("_id", new org.bson.types.ObjectId(id)),
                com.mongodb.client.model.Updates.unset("v"));
        assertEquals(id, claimDue(store, t0, Duration.ofMinutes(1)).orElseThrow().id(), "claimed by its missing version");
        assertEquals(List.of(), claimDue(store, t0, Duration.ofMinutes(1), 32), "and then held");
    }

    /** The most overdue item, claimed: one look, then a claim as the sender makes them. */
    private static Optional<OutboxItem> claimDue(OutboxStore s, Instant now, Duration lease) {
        return claimDue(s, now, lease, 1).stream().findFirst();
    }

    private static List<OutboxItem> claimDue(OutboxStore s, Instant now, Duration lease, int max) {
        return s.due(now, max).stream().map(d -> s.claim(d, now, lease)).flatMap(Optional::stream).toList();
    }
}
