package cn.shegong.core.resident;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import cn.shegong.core.testing.TestMongo;
import com.mongodb.client.MongoDatabase;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The resident store's contract: contact, consent, and the messages remembered until a request takes them. */
class ResidentStoreTest {

    @RegisterExtension
    static final TestMongo mongo = new TestMongo();
    ResidentStore store;
    final Instant t = Instant.parse("2026-11-30T02:00:00Z");

    @BeforeEach
    void fresh() {
        MongoDatabase db = mongo.fresh("residents_test");
        store = new ResidentStore(db);
        store.ensureIndexes();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void contactsOfManyPeopleAtOnceEachLandWithTheirOwnMessages() throws Exception {
        int people = 200;
        List<ObjectId> ids = new ArrayList<>();
        for (int i = 0; i < people; i++) {
            ids.add(new ObjectId());
        }
        try (ExecutorService pushes = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < people; i++) {
                int who = i;
                done.add(pushes.submit(() -> store.recordContact("p" + who, t.plusSeconds(who), List.of(ids.get(who)))));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        for (int i = 0; i < people; i++) {
            int who = i;
            assertEquals(t.plusSeconds(i), store.find("p" + i).orElseThrow().lastContactAt());
            List<ObjectId> linked = new ArrayList<>();
            store.linkRecent("p" + i, t, linked::addAll);
            assertEquals(List.of(ids.get(who)), linked, "each person's own message, no one else's");
        }
    }

    @Test
    void contactCreatesTheResidentAndMovesTheirLastContactOnOnly() {
        store.recordContact("o1", t.plusSeconds(60));
        store.recordContact("o1", t); // a late duplicate does not move it back
        Resident r = store.find("o1").orElseThrow();
        assertEquals(t.plusSeconds(60), r.firstContactAt());
        assertEquals(t.plusSeconds(60), r.lastContactAt());
        assertEquals(Optional.empty(), store.consent("o1"));
        store.recordConsent("o1", true, t);
        assertEquals(Optional.of(true), store.consent("o1"));
    }

    List<ObjectId> take(String openid, Instant since) {
        List<ObjectId> linked = new ArrayList<>();
        store.linkRecent(openid, since, linked::addAll);
        return linked;
    }

    @Test
    void aRequestTakesTheMessagesSinceItsIntakeBeganAndEachOnlyOnce() {
        ObjectId before = new ObjectId(), q1 = new ObjectId(), a1 = new ObjectId(), q2 = new ObjectId(), a2 = new ObjectId();
        store.recordContact("o1", t, List.of(before));
        store.recordContact("o1", t.plusSeconds(30), List.of(q1, a1));
        store.recordContact("o2", t.plusSeconds(40), List.of(new ObjectId()));
        store.recordContact("o1", t.plusSeconds(60), List.of(q2, a2));

        assertEquals(List.of(q1, a1, q2, a2), take("o1", t.plusSeconds(30)), "from the intake's start on, in order");
        assertEquals(List.of(), take("o1", t.plusSeconds(30)), "taken once: a second request does not take them again");
        assertEquals(List.of(before), take("o1", t), "what came before stays until a request reaches back to it");
        assertEquals(List.of(), take("o-nobody", t));
    }

    @Test
    void aMessageStoredInTheSameMillisecondAsTheRequestBeganIsItsToo() {
        Instant received = Instant.parse("2026-11-30T02:00:00.123456Z"); // the clock has microseconds, the store milliseconds
        ObjectId q = new ObjectId();
        store.recordContact("o1", received.plusNanos(300_000), List.of(q));
        assertEquals(List.of(q), take("o1", received));
    }

    @Test
    void aLinkThatFailsForgetsNothing() {
        ObjectId q = new ObjectId();
        store.recordContact("o1", t, List.of(q));
        try {
            store.linkRecent("o1", t, ids -> {
                throw new IllegalStateException("the store went away");
            });
        } catch (IllegalStateException expected) {
            // the caller sees the failure
        }
        assertEquals(List.of(q), take("o1", t), "still remembered: linked by the next try");
    }

    @Test
    void onlyTheLatestMessagesAreRemembered() {
        List<ObjectId> ids = new ArrayList<>();
        for (int i = 0; i < ResidentStore.RECENT + 10; i++) {
            ObjectId id = new ObjectId();
            ids.add(id);
            store.recordContact("o1", t.plus(Duration.ofMinutes(i)), List.of(id));
        }
        List<ObjectId> taken = take("o1", t);
        assertEquals(ResidentStore.RECENT, taken.size());
        assertTrue(taken.containsAll(ids.subList(10, ids.size())), "the newest are kept, the oldest dropped");
    }
}
