package cn.shegong.core.staff;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import cn.shegong.core.casework.Category;
import cn.shegong.core.staff.BindCodes.Redeemed;
import cn.shegong.core.testing.TestMongo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract of binding codes and of who a WeChat belongs to. */
class BindingStoresTest {

    @RegisterExtension
    static final TestMongo mongo = new TestMongo();
    BindCodes codes;
    StaffStore staff;
    final Instant t0 = Instant.parse("2026-11-30T02:00:00Z");

    @BeforeEach
    void fresh() {
        var db = mongo.fresh("binding_test");
        codes = new BindCodes(db, new cn.shegong.core.storage.FieldCipher(new byte[32]));
        staff = new StaffStore(db);
    }

    @Test
    void aCodeWorksOnceWithinItsLifetimeAndIsReadHoweverItIsTyped() {
        String code = codes.create("w1", t0);
        assertTrue(code.matches("[A-HJ-KM-NP-Z2-9]{6}"), code + " avoids look-alike characters");
        String typed = code.toLowerCase().substring(0, 3) + " " + code.substring(3);
        assertEquals(new Redeemed.Valid("w1"), codes.check(typed, t0.plus(Duration.ofHours(71))));
        assertTrue(codes.use(typed, "o-1", t0));
        assertFalse(codes.use(code, "o-2", t0), "a second use loses");
        assertInstanceOf(Redeemed.Used.class, codes.check(code, t0));
        assertInstanceOf(Redeemed.Unknown.class, codes.check("ZZZZZZ", t0));
    }

    @Test
    void aWorkerHasOneLiveCodeAndTheStoreHoldsNoUsableCode() {
        String first = codes.create("w1", t0);
        String second = codes.create("w1", t0);
        assertInstanceOf(Redeemed.Unknown.class, codes.check(first, t0), "a new code ends the earlier one");
        assertFalse(mongo.database("binding_test").getCollection("bind_codes").find().first().toJson().contains(second));
        assertEquals(new Redeemed.Valid("w1"), codes.check(second, t0));
    }

    @Test
    void aCodeExpiresAfterSeventyTwoHours() {
        String code = codes.create("w1", t0);
        assertInstanceOf(Redeemed.Expired.class, codes.check(code, t0.plus(BindCodes.LIFETIME)));
    }

    @Test
    void aWeChatBelongsToOneWorkerAndAWorkerHasOneWeChat() {
        Worker a = staff.addWorker("甲", "530521103", Worker.Role.WORKER, List.of(Category.ELDERLY), 5);
        Worker b = staff.addWorker("乙", "530521103", Worker.Role.HEAD, List.of(), 5);
        staff.bind(a.id(), "o-phone-1", t0);
        assertEquals(a.id(), staff.byOpenid("o-phone-1").orElseThrow().id());

        staff.bind(a.id(), "o-phone-2", t0); // a new phone
        assertTrue(staff.byOpenid("o-phone-1").isEmpty(), "the old phone is no longer theirs");
        assertEquals(a.id(), staff.byOpenid("o-phone-2").orElseThrow().id());

        staff.bind(b.id(), "o-phone-2", t0); // the phone handed to a colleague
        assertEquals(b.id(), staff.byOpenid("o-phone-2").orElseThrow().id());
        assertTrue(staff.worker(a.id()).orElseThrow().openid().isEmpty());

        assertTrue(staff.unbind(b.id()));
        assertTrue(staff.byOpenid("o-phone-2").isEmpty());
        assertFalse(staff.unbind(b.id()), "nothing left to unbind");
    }

    @Test
    void anotherReplicasBindingIsSeenOnceItsReadIsNoLongerFresh() {
        StaffStore other = new StaffStore(mongo.database("binding_test"), Duration.ZERO); // a replica whose read is always stale
        Worker a = staff.addWorker("甲", "530521103", Worker.Role.WORKER, List.of(), 5);
        assertTrue(other.byOpenid("o-phone-1").isEmpty());
        staff.bind(a.id(), "o-phone-1", t0);
        assertEquals(a.id(), other.byOpenid("o-phone-1").orElseThrow().id());
    }

    @Test
    void aBindingReadBeforeItWasUndoneElsewhereNeverGivesTheOldWorker() {
        StaffStore other = new StaffStore(mongo.database("binding_test"), Duration.ofHours(1)); // its read stays
        Worker a = staff.addWorker("甲", "530521103", Worker.Role.WORKER, List.of(), 5);
        Worker b = staff.addWorker("乙", "530521103", Worker.Role.WORKER, List.of(), 5);
        staff.bind(a.id(), "o-phone-1", t0);
        assertEquals(a.id(), other.byOpenid("o-phone-1").orElseThrow().id());

        staff.bind(b.id(), "o-phone-1", t0); // the phone handed to a colleague, on the first replica
        assertTrue(other.byOpenid("o-phone-1").isEmpty(), "never the worker who handed the phone on");
        staff.unbind(b.id());
        staff.bind(a.id(), "o-phone-2", t0);
        assertTrue(other.byOpenid("o-phone-2").isEmpty(), "a binding made elsewhere is seen only after the read is stale");
        staff.unbind(a.id());
        assertTrue(other.byOpenid("o-phone-1").isEmpty());
    }
}
