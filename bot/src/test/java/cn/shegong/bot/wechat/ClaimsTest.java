package cn.shegong.bot.wechat;

import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import cn.shegong.bot.intake.ConversationStore;
import cn.shegong.core.storage.FieldCipher;
import cn.shegong.core.storage.Redis;
import cn.shegong.core.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A push's claim takes the person's turn when it is free, with their conversation state, in one
 * Redis step; it leaves the turn alone when another push of theirs holds it or waits in the
 * backlog; and a turn that came with the claim is given back when the person's in-process lock is
 * not free at once, so the order — in-process lock, then Redis turn — is never inverted.
 */
class ClaimsTest {

    private static final FieldCipher CIPHER = new FieldCipher(new byte[32]);

    private TestRedis test;
    private Redis redis;
    private ConversationStore states;
    private Liveness liveness;
    private Claims claims;

    @BeforeEach
    void start() throws Exception {
        test = new TestRedis();
        redis = Redis.open(Optional.of(TestRedis.URL), test.prefix(), Files.createTempDirectory("claims"));
        states = new ConversationStore(redis, CIPHER);
        liveness = new Liveness(redis);
        claims = new Claims(redis, CIPHER, liveness, states::keys);
    }

    @AfterEach
    void stop() {
        redis.close();
        test.close();
    }

    record Note(String text) {
    }

    @Test
    void aFreeTurnComesWithTheClaimAndThePersonsStateWithIt() {
        states.put(ConversationStore.Space.WORKER, "o-1", new Note("走访笔记"));
        Claims.Claim claim = claims.claim("d1", "o-1", "t:1", true).first().orElseThrow();
        assertTrue(claim.withTurn(), "no one else holds the person's turn");
        assertEquals(claim.token(), test.client().get(test.prefix() + "wx:user:o-1"), "the turn is this push's");
        try (ConversationStore.Primed read = states.prime("o-1", claim.states())) {
            assertEquals(Optional.empty(), states.get(ConversationStore.Space.INTAKE, "o-1", Note.class), "no intake under way");
            test.client().del(test.prefix() + "worker-session:o-1"); // a read now could only come from what the claim brought
            assertEquals(Optional.of(new Note("走访笔记")), states.get(ConversationStore.Space.WORKER, "o-1", Note.class));
            assertEquals(Optional.empty(), states.get(ConversationStore.Space.WORKER, "o-1", Note.class), "read once; then Redis again");
        }
    }

    @Test
    void aPushToBeKeptIsClaimedWithoutThePersonsTurn() {
        Claims.Claim kept = claims.claim("d1k", "o-1k", "t:1k", false).first().orElseThrow();
        assertFalse(kept.withTurn(), "a push going to the backlog leaves the turn for whoever handles it");
        assertNull(test.client().get(test.prefix() + "wx:user:o-1k"));
        assertEquals(Optional.of(PassiveReply.SUCCESS), claims.claim("d1k", "o-1k", "t:1k2", true).earlier(),
                "the claim is made all the same: a retry is recognised");
    }

    @Test
    void aWriteInTheTurnIsReadBackNotTheStateTheClaimBrought() {
        states.put(ConversationStore.Space.INTAKE, "o-2", new Note("旧"));
        Claims.Claim claim = claims.claim("d2", "o-2", "t:2", true).first().orElseThrow();
        try (ConversationStore.Primed read = states.prime("o-2", claim.states())) {
            states.put(ConversationStore.Space.INTAKE, "o-2", new Note("新"));
            assertEquals(Optional.of(new Note("新")), states.get(ConversationStore.Space.INTAKE, "o-2", Note.class));
        }
    }

    @Test
    void aSecondPushWhileTheFirstHoldsTheTurnOrWaitsInTheBacklogDoesNotTakeIt() throws Exception {
        Claims.Claim first = claims.claim("d3", "o-3", "t:3", true).first().orElseThrow();
        Claims.Claim second = claims.claim("d4", "o-3", "t:4", true).first().orElseThrow();
        assertFalse(second.withTurn(), "the first push holds it");
        assertEquals(first.token(), test.client().get(test.prefix() + "wx:user:o-3"));
        claims.finish(first, "好的");
        assertNull(test.client().get(test.prefix() + "wx:user:o-3"), "finishing frees the turn");

        new Backlog(redis, CIPHER, "me", test.prefix() + "instance:", () -> false).keep("k", BacklogTest.push("o-5", 1, "一"));
        Claims.Result behind = claims.claim("d5", "o-5", "t:5", true);
        assertTrue(behind.behindKept(), "their earlier push waits in the backlog");
        assertFalse(behind.first().orElseThrow().withTurn());
        assertNull(test.client().get(test.prefix() + "wx:user:o-5"), "the turn is left for the backlog's drainer");
    }

    @Test
    void aTurnFromTheClaimIsGivenBackWhileAnEarlierPushOfThePersonIsInHandHere() throws Exception {
        Turns turns = new Turns(claims);
        Claims.Claim earlier = claims.forRetryKey(test.prefix() + "wx:dedup:old", "o-6", true); // e.g. from the backlog
        CountDownLatch inHand = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread holder = Thread.ofVirtual().start(() -> {
            try (Turns.Held held = turns.take("o-6", earlier)) {
                inHand.countDown();
                done.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(inHand.await(10, TimeUnit.SECONDS));
        claims.finish(earlier, "好的"); // answered, its Redis turn freed, the lock here not yet released
        Claims.Claim next = claims.claim("d6", "o-6", "t:6", true).first().orElseThrow();
        assertTrue(next.withTurn());
        AtomicReference<List<String>> brought = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try (Turns.Held held = turns.take("o-6", next)) {
                brought.set(held.states());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(waitUntil(() -> test.client().get(test.prefix() + "wx:user:o-6") == null),
                "the claim's turn is given back instead of being held while waiting for the lock");
        done.countDown();
        holder.join(10_000);
        waiter.join(10_000);
        assertEquals(List.of(), brought.get(), "it then takes the lock and the turn in order, and reads the state afresh");
        assertEquals(next.token(), test.client().get(test.prefix() + "wx:user:o-6"));
    }

    @Test
    void aRetryIsToldWhetherItsPushIsKeptOrStillInAnInstancesHandsAndWhose() {
        liveness.heartbeat();
        Claims.Claim first = claims.claim("d7", "o-7", "t:7", true).first().orElseThrow();
        Claims.Result here = claims.claim("d7", "o-7", "t:7b", true);
        assertTrue(here.pending() && !here.elsewhere(), "still being handled by this instance");

        Liveness other = new Liveness(redis);
        other.heartbeat();
        Claims.Result elsewhere = new Claims(redis, CIPHER, other, states::keys).claim("d7", "o-7", "t:7c", true);
        assertTrue(elsewhere.pending() && elsewhere.elsewhere(), "another instance, alive, sees it in this one's hands");

        new Backlog(redis, CIPHER, "me", test.prefix() + "instance:", () -> false).keep(first.retryKey(), BacklogTest.push("o-7", 7, "七"));
        Claims.Result kept = claims.claim("d7", "o-7", "t:7d", true);
        assertFalse(kept.pending(), "kept in the backlog: nothing to wait for");
        assertEquals(Optional.of(PassiveReply.SUCCESS), kept.earlier(), "the answer follows as a customer-service message");

        claims.finish(first, "好的");
        assertEquals(Optional.of("好的"), claims.claim("d7", "o-7", "t:7e", true).earlier(), "once answered, a retry gets that answer");
        new Backlog(redis, CIPHER, "me", test.prefix() + "instance:", () -> false).keep(claims.retryKey("d8"), BacklogTest.push("o-8", 8, "八"));
        assertNull(test.client().get(claims.retryKey("d8")), "keeping marks a claim that exists; it makes none");
    }

    private static boolean waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
