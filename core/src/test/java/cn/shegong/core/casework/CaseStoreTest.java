package cn.shegong.core.casework;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import cn.shegong.core.storage.FieldCipher;
import cn.shegong.core.testing.TestMongo;
import com.mongodb.client.MongoDatabase;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The case store's contract: numbering, a person's cases and open case, encryption at rest. */
class CaseStoreTest {

    @RegisterExtension
    static final TestMongo mongo = new TestMongo();
    static final Areas AREAS = Areas.baoshan();
    static final Instant T0 = Instant.parse("2026-11-30T02:00:00Z");
    MongoDatabase db;
    CaseStore store;

    @BeforeEach
    void freshDatabase() {
        db = mongo.fresh("cases_test");
        store = new CaseStore(db, new FieldCipher(new byte[32]), AREAS);
        store.ensureIndexes();
    }

    Case open(String openid, String text, Instant at) {
        return store.create(new CaseStore.NewCase(openid, Category.ELDERLY, false, AREAS.byCode("530521103"),
                Optional.of("李"), Optional.of("13800001234"), text, false), at);
    }

    @Test
    void numbersCountPerDayAndNeverRepeat() {
        Case a = open("o-a", "一", T0);
        Case b = open("o-b", "二", T0.plusSeconds(60));
        assertEquals("BS20261130-0001", a.number());
        assertEquals("BS20261130-0002", b.number());
    }

    @Test
    void aPersonsOpenCaseIsTheirNewestOpenOneAndOnlyTheirs() {
        Case first = open("o-li", "第一次", T0);
        Case second = open("o-li", "第二次", T0.plusSeconds(60));
        open("o-wang", "别人的", T0.plusSeconds(120));
        assertEquals(second.id(), store.latestOpen("o-li").orElseThrow().id());

        assertTrue(store.changeStatus(second.id(), second.version(), Case.Status.CLOSED, "closed", "", T0.plusSeconds(180)));
        assertEquals(first.id(), store.latestOpen("o-li").orElseThrow().id(), "the closed one no longer counts");
        assertEquals(List.of(second.id(), first.id()), store.forResident("o-li").stream().map(Case::id).toList());
        assertEquals(List.of(second.id()), store.forResident("o-li", 1).stream().map(Case::id).toList());
        assertTrue(store.latestOpen("o-nobody").isEmpty());
    }

    @Test
    void routingAssignsTheCaseAsSeenAndRecordsItsRuleInOneWrite() {
        Case c = open("o-li", "老人没人照顾", T0);
        Optional<Case> routed = store.assignment().route(c.id(), c.version(), "530521103", Optional.of("w1"), Optional.of("赵"), "elderly", T0.plusSeconds(5));

        assertEquals(Case.Status.ASSIGNED, routed.orElseThrow().status());
        assertEquals(Optional.of("w1"), routed.get().assigneeId());
        assertEquals(c.version() + 1, routed.get().version());
        assertEquals(List.of("created", "assigned", "routed"), routed.get().timeline().stream().map(Case.Event::kind).toList());
        assertEquals("elderly", routed.get().timeline().get(2).note(), "the rule that routed it");
        assertEquals(routed.get(), store.find(c.id()).orElseThrow(), "what routing returned is what is stored");
        assertTrue(store.assignment().route(c.id(), c.version(), "530521103", Optional.of("w2"), Optional.of("钱"), "elderly", T0.plusSeconds(6)).isEmpty(),
                "a case changed since it was seen is not routed again");
        assertEquals(Optional.of("w1"), store.find(c.id()).orElseThrow().assigneeId());
    }

    @Test
    void casesOpenedBeforeThePointersExistAreFoundAfterTheBackfill() {
        ObjectId old = new ObjectId();
        db.getCollection("cases").insertOne(new Document("_id", old).append("number", "BS20261101-0001").append("openid", "o-old")
                .append("category", "dibao").append("urgent", false).append("status", "NEW").append("description", new FieldCipher(new byte[32]).encrypt("旧的求助"))
                .append("createdAt", Date.from(T0)).append("updatedAt", Date.from(T0)).append("version", 0)
                .append("timeline", List.of()));
        db.getCollection("meta").drop();
        CaseStore restarted = new CaseStore(db, new FieldCipher(new byte[32]), AREAS);
        restarted.ensureIndexes();
        assertEquals(old.toHexString(), restarted.latestOpen("o-old").orElseThrow().id());
    }

    @Test
    void namesPhonesAndDescriptionsAreEncryptedAtRest() {
        open("o-li", "婆婆摔了一跤", T0);
        Document raw = db.getCollection("cases").find().first();
        for (String field : List.of("name", "phone", "description")) {
            assertNotEquals(-1, raw.getString(field).length());
            assertTrue(!raw.getString(field).contains("李") && !raw.getString(field).contains("13800001234")
                    && !raw.getString(field).contains("摔"), field + " is readable at rest");
        }
    }
}
