package cn.shegong.core.message;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.core.testing.TestMongo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageStoreTest {

    @RegisterExtension
    static final TestMongo mongo = new TestMongo();
    MessageStore store;

    com.mongodb.client.MongoDatabase db;

    @BeforeEach
    void freshCollection() {
        db = mongo.fresh("messages_test");
        store = new MessageStore(db, new cn.shegong.core.storage.FieldCipher(new byte[32]));
        store.ensureIndexes();
    }

    static StoredMessage in(String openid, String text, long msgId, Instant at) {
        return new StoredMessage(openid, StoredMessage.Direction.IN, "text", text, Optional.of(msgId), Map.of(), at, at);
    }

    @Test
    void aRetriedMsgIdIsStoredOnce() {
        Instant now = Instant.parse("2026-11-29T02:00:00Z");
        assertTrue(store.insert(in("o1", "你好", 42, now)));
        assertFalse(store.insert(in("o1", "你好", 42, now.plusSeconds(5))), "same MsgId again is refused");
        assertEquals(1, store.conversation("o1").size());
    }

    @Test
    void whatPeopleWroteIsEncryptedAtRest() {
        Instant now = Instant.parse("2026-11-29T02:00:00Z");
        store.insert(in("o9", "我老公打我", 77, now));
        String raw = mongo.database("messages_test").getCollection("messages").find().first().getString("content");
        assertTrue(raw.startsWith("enc1:") && !raw.contains("打我"), raw);
        assertEquals("我老公打我", store.conversation("o9").get(0).content());
    }

    @Test
    void repliesWithoutMsgIdDoNotCollide() {
        Instant now = Instant.parse("2026-11-29T02:00:00Z");
        for (int i = 0; i < 3; i++) {
            assertTrue(store.insert(new StoredMessage("o1", StoredMessage.Direction.OUT, "text", "回复" + i,
                    Optional.empty(), Map.of(), now, now.plusSeconds(i))));
        }
        assertEquals(3, store.conversation("o1").size());
    }

    @Test
    void conversationIsOneResidentsMessagesOldestFirstWithFieldsKept() {
        Instant t = Instant.parse("2026-11-29T02:00:00Z");
        store.insert(in("o1", "第一条", 1, t));
        store.insert(in("o2", "别人的", 2, t.plusSeconds(1)));
        store.insert(new StoredMessage("o1", StoredMessage.Direction.IN, "image", "", Optional.of(3L),
                Map.of("MediaId", "m-1"), t.plusSeconds(2), t.plusSeconds(2)));
        List<StoredMessage> conversation = store.conversation("o1");
        assertEquals(List.of("第一条", ""), conversation.stream().map(StoredMessage::content).toList());
        assertEquals("m-1", conversation.get(1).fields().get("MediaId"));
        assertEquals(Optional.of(3L), conversation.get(1).wechatMsgId());
    }

    @Test
    void whatPeopleWroteIsUnreadableAtRestInTheContentAndInTheRawFields() {
        Instant at = Instant.parse("2026-11-30T02:00:00Z");
        store.insert(new StoredMessage("o-li", StoredMessage.Direction.IN, "voice", "电话13800001234", Optional.of(77L),
                Map.of("Recognition", "电话13800001234", "MediaId", "m1"), at, at));
        String raw = db.getCollection("messages").find().first().toJson();
        assertFalse(raw.contains("13800001234"), "the phone is readable in the raw document: " + raw);
        StoredMessage back = store.conversation("o-li").get(0);
        assertEquals("电话13800001234", back.fields().get("Recognition"));
        assertEquals("m1", back.fields().get("MediaId"));
    }

    @Test
    void linkedMessagesFormTheRequestsTranscriptOldestFirstAndTheReplyIsFoundByItsQuestion() {
        Instant t = Instant.parse("2026-11-30T02:00:00Z");
        org.bson.types.ObjectId q = new org.bson.types.ObjectId(), a = new org.bson.types.ObjectId();
        assertTrue(store.insert(q, in("o1", "我爸瘫在床上", 501, t)));
        store.insertReply(a, new StoredMessage("o1", StoredMessage.Direction.OUT, "text", "请问在哪个乡镇？", Optional.empty(), Map.of(),
                t.plusSeconds(1), t.plusSeconds(1)), Optional.of(501L), Optional.empty());
        store.insert(in("o1", "另一件事", 502, t.plusSeconds(2)));
        assertTrue(store.replied(501));
        assertEquals(Optional.of(q), store.idOf(501));
        assertFalse(store.replied(502));
        assertEquals(List.of(), store.forCase("case-1"));

        store.link(List.of(q, a), "case-1");
        store.insertLinked(new StoredMessage("o1", StoredMessage.Direction.OUT, "text", "社工明天到", Optional.empty(), Map.of(),
                t.plusSeconds(3), t.plusSeconds(3)), "case-1");
        assertEquals(List.of("我爸瘫在床上", "请问在哪个乡镇？", "社工明天到"), store.forCase("case-1").stream().map(StoredMessage::content).toList());
        store.relink("case-1", "case-2");
        assertEquals(3, store.forCase("case-2").size(), "a merge moves the transcript");
    }
}
