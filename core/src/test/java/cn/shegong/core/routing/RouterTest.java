package cn.shegong.core.routing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import cn.shegong.core.casework.Areas;
import cn.shegong.core.casework.Case;
import cn.shegong.core.casework.CaseStore;
import cn.shegong.core.casework.Category;
import cn.shegong.core.staff.StaffStore;
import cn.shegong.core.staff.Worker;
import cn.shegong.core.storage.FieldCipher;
import cn.shegong.core.testing.TestMongo;
import com.mongodb.client.MongoDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Choosing the worker: the skilled and least loaded, in turn, never past capacity or inactive; the rules saved once per version. */
class RouterTest {

    static final Areas AREAS = Areas.baoshan();
    static final String YAOGUAN = "530521103";
    @RegisterExtension
    static final TestMongo mongo = new TestMongo();
    MongoDatabase db;
    CaseStore cases;
    StaffStore staff;
    RuleStore rules;
    Router router;
    final Instant now = Instant.parse("2026-11-30T02:00:00Z");

    @BeforeEach
    void fresh() {
        db = mongo.fresh("router_test");
        cases = new CaseStore(db, new FieldCipher(new byte[32]), AREAS);
        staff = new StaffStore(db);
        staff.ensureStations(AREAS);
        rules = new RuleStore(db);
        router = new Router(rules, staff, db);
    }

    Case request(Category category, Optional<String> township) {
        return cases.create(new CaseStore.NewCase("o-" + System.nanoTime(), category, false, township.flatMap(AREAS::byCode),
                Optional.empty(), Optional.empty(), "", false), now);
    }

    void carrying(Worker w, int open) {
        for (int i = 0; i < open; i++) {
            Case c = request(Category.OTHER, Optional.of(YAOGUAN));
            cases.assignment().assign(c.id(), c.version(), YAOGUAN, Optional.of(w.id()), Optional.of(w.name()), now);
        }
    }

    @Test
    void theSkilledLeastLoadedWorkerWithRoomTakesIt() {
        Worker busySkilled = staff.addWorker("李社工", YAOGUAN, Worker.Role.WORKER, List.of(Category.ELDERLY), 3);
        Worker freeSkilled = staff.addWorker("赵社工", YAOGUAN, Worker.Role.WORKER, List.of(Category.ELDERLY), 3);
        Worker unskilled = staff.addWorker("钱社工", YAOGUAN, Worker.Role.WORKER, List.of(Category.DIBAO), 3);
        carrying(busySkilled, 2);
        carrying(freeSkilled, 1);
        Router.Decision d = router.decide(request(Category.ELDERLY, Optional.of(YAOGUAN)));
        assertEquals("其他求助", d.rule().name());
        assertEquals(Optional.of(freeSkilled.id()), d.worker().map(Worker::id), "skilled first, then fewest open requests");
        carrying(freeSkilled, 2);
        carrying(busySkilled, 1);
        assertEquals(Optional.of(unskilled.id()), router.decide(request(Category.ELDERLY, Optional.of(YAOGUAN))).worker().map(Worker::id),
                "both skilled workers are at capacity: someone with room takes it");
        staff.updateWorker(unskilled.id(), unskilled.name(), Worker.Role.WORKER, List.of(), 3, false);
        Router.Decision full = router.decide(request(Category.ELDERLY, Optional.of(YAOGUAN)));
        assertTrue(full.worker().isEmpty(), "the inactive and the full are never chosen");
        assertEquals("all_at_capacity", full.why());
        assertEquals(Optional.of(YAOGUAN), full.station(), "the station head decides");
    }

    @Test
    void roundRobinTakesTurnsAndAPreviewMovesNoTurn() {
        rules.save("""
                rules:
                  - name: 轮流
                    choose: round_robin
                    deadlines: {assign: 1wd, accept: 1wd, first_contact: 1wd, close: 20wd}
                """, 0, "admin", now);
        Worker a = staff.addWorker("甲", YAOGUAN, Worker.Role.WORKER, List.of(), 9);
        Worker b = staff.addWorker("乙", YAOGUAN, Worker.Role.WORKER, List.of(), 9);
        Case c = request(Category.DIBAO, Optional.of(YAOGUAN));
        String previewed = router.preview(c, rules.current().rules()).worker().orElseThrow().id();
        assertEquals(previewed, router.preview(c, rules.current().rules()).worker().orElseThrow().id(), "a preview moves no turn");
        List<String> turns = List.of(router.decide(c).worker().orElseThrow().id(), router.decide(c).worker().orElseThrow().id(),
                router.decide(c).worker().orElseThrow().id());
        assertEquals(previewed, turns.get(0));
        assertEquals(List.of(turns.get(0), turns.get(0).equals(a.id()) ? b.id() : a.id(), turns.get(0)), turns);
    }

    @Test
    void anUnknownPlaceHasNoStationAndRulesAreSavedOncePerVersion() {
        Router.Decision d = router.decide(request(Category.MENTAL, Optional.empty()));
        assertTrue(d.station().isEmpty());
        assertEquals("township_unknown", d.why());
        String text = RoutingRules.defaultsText();
        assertTrue(rules.save(text, 0, "admin", now));
        assertFalse(rules.save(text, 0, "someone", now), "saved since: refused, not overwritten");
        assertEquals(1, rules.current().version());
        assertEquals("admin", rules.current().updatedBy());
    }
}
