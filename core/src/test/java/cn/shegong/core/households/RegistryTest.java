package cn.shegong.core.households;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.core.storage.FieldCipher;
import cn.shegong.core.testing.TestMongo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract of households and visits: sealed, matched by ID number, always a next visit, reminders once. */
class RegistryTest {

    @RegisterExtension
    static final TestMongo mongo = new TestMongo();
    com.mongodb.client.MongoDatabase db;
    HouseholdStore households;
    VisitStore visits;
    Registry registry;
    Monitoring monitoring;
    final LocalDate today = LocalDate.of(2026, 11, 30);
    final Instant now = Instant.parse("2026-11-30T02:00:00Z");

    @BeforeEach
    void fresh() {
        db = mongo.fresh("registry_test");
        FieldCipher cipher = new FieldCipher(new byte[32]);
        households = new HouseholdStore(db, cipher);
        monitoring = new Monitoring(db, new RiskSignals(), cipher);
        visits = new VisitStore(db, cipher);
        registry = new Registry(households, visits, new VisitPolicy(), monitoring);
    }

    HouseholdStore.Facts elder(String plan) {
        return new HouseholdStore.Facts(List.of(new Household.Member("段桂芳", Optional.of("530521195503010020"), Optional.of("13800001234"),
                "本人", Optional.of(LocalDate.of(1955, 3, 1)))), "530521103", "530521", "山邑村", "姚关镇山邑村3组",
                Map.of("liushou_laoren", LocalDate.of(2026, 9, 1)), Household.Risk.MEDIUM, plan);
    }

    @Test
    void aHouseholdIsSealedMatchedByIdNumberAndSavedOnceForTheSameFacts() {
        HouseholdStore.Saved first = registry.enrol(elder("每月上门，链接助餐"), Optional.of("w1"), today, now);
        assertEquals(HouseholdStore.Outcome.CREATED, first.outcome());
        assertEquals(HouseholdStore.Outcome.UNCHANGED, registry.enrol(elder("每月上门，链接助餐"), Optional.of("w1"), today, now).outcome());
        assertEquals(HouseholdStore.Outcome.UPDATED, registry.enrol(elder("每周电话一次"), Optional.of("w1"), today, now).outcome());
        assertEquals(1, households.count());

        String raw = db.getCollection("households").find().first().toJson() + db.getCollection("household_ids").find().first().toJson();
        for (String secret : List.of("530521195503010020", "段桂芳", "13800001234", "山邑村3组", "每周电话")) {
            assertFalse(raw.contains(secret), secret + " is readable at rest");
        }
        Household h = households.byIdNumber("530521195503010020").orElseThrow();
        assertEquals("段桂芳", h.head().name());
        assertEquals("段*", h.maskedName());
        assertEquals("每周电话一次", h.plan());
    }

    @Test
    void theNextVisitIsAlwaysScheduledAndRecordingOneSchedulesTheNext() {
        String id = registry.enrol(elder(""), Optional.of("w1"), today, now).id();
        Visit first = visits.find(households.find(id).orElseThrow().nextVisit().orElseThrow()).orElseThrow();
        assertEquals(today, first.due(), "enrolled in September, monthly: overdue, so due today");
        assertEquals("留守老人每月巡访", first.rule());
        assertEquals(List.of(first.code()), visits.openFor("w1").stream().map(Visit::code).toList());

        assertTrue(registry.recordVisit(first.code(), today, "赵志强", "老人身体还好", now));
        assertFalse(registry.recordVisit(first.code(), today, "赵志强", "again", now), "a visit is recorded once");
        Visit next = visits.find(households.find(id).orElseThrow().nextVisit().orElseThrow()).orElseThrow();
        assertEquals(LocalDate.of(2026, 12, 30), next.due());
        assertEquals(List.of(next.code()), visits.openFor("w1").stream().map(Visit::code).toList());
        assertEquals(Optional.of("老人身体还好"), visits.find(first.code()).orElseThrow().note());
        assertFalse(db.getCollection("visits").find().first().toJson().contains("身体还好"), "the note is sealed");
    }

    @Test
    void aReminderIsClaimedOncePerVisitPerDayWhoeverSweeps() {
        registry.enrol(elder(""), Optional.of("w1"), today, now);
        Visit due = visits.dueBy(today, 400).get(0);
        assertTrue(visits.claimReminder(due.code(), today));
        assertFalse(visits.claimReminder(due.code(), today), "a second sweep (or replica) the same day does nothing");
        assertTrue(visits.claimReminder(due.code(), today.plusDays(1)), "the next day it is reminded again");
        assertTrue(visits.claimEscalation(due.code(), 1));
        assertFalse(visits.claimEscalation(due.code(), 1));
        assertTrue(visits.claimEscalation(due.code(), 2));
    }

    @Test
    void anExitCancelsTheOpenVisit() {
        String id = registry.enrol(elder(""), Optional.of("w1"), today, now).id();
        registry.exit(id, "迁出本县", today, "admin", now);
        assertEquals(Household.Status.EXITED, households.find(id).orElseThrow().status());
        assertTrue(visits.dueBy(today, 400).isEmpty());
        assertTrue(visits.openFor("w1").isEmpty());
    }

    @Test
    void aMovedHouseholdTakesItsOpenVisitsAlongAndACampaignVisitLeavesThePolicyVisitAlone() {
        String id = registry.enrol(elder(""), Optional.of("w1"), today, now).id();
        String policyVisit = households.find(id).orElseThrow().nextVisit().orElseThrow();
        String campaign = registry.orderVisit(id, "春节前走访", LocalDate.of(2027, 2, 1), now).orElseThrow();
        assertEquals(2, visits.openFor("w1").size());

        registry.move(id, "w2", "county-admin", now);
        assertTrue(visits.openFor("w1").isEmpty(), "nothing stays with the old worker");
        assertEquals(List.of(policyVisit, campaign), visits.openFor("w2").stream().map(Visit::code).toList());
        assertEquals(Optional.of("w2"), households.find(id).orElseThrow().workerId());
        assertEquals("moved", households.history(id).getLast().what());

        assertTrue(registry.recordVisit(campaign, today, "w2", "送了棉被", now));
        assertEquals(Optional.of(policyVisit), households.find(id).orElseThrow().nextVisit(), "a campaign visit schedules nothing");
        assertEquals(List.of(policyVisit, campaign), registry.visitsOf(id).stream().map(Visit::code).toList(), "the page lists both");

        registry.exit(id, "去世", today, "county-admin", now);
        assertTrue(visits.openFor("w2").isEmpty(), "an exit cancels every open visit");
    }

    @Test
    void theListFiltersByPlaceCategoryAndIdNumberWithoutOpeningSealedFields() {
        registry.enrol(elder(""), Optional.of("w1"), today, now);
        registry.enrol(new HouseholdStore.Facts(List.of(new Household.Member("周德明", Optional.of("53052119400229004X"), Optional.empty(),
                "本人", Optional.empty())), "530521104", "530521", "仁和村", "", Map.of("shineng_laoren", today), Household.Risk.HIGH, ""),
                Optional.empty(), today, now);
        HouseholdStore.Query all = new HouseholdStore.Query(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(Household.Status.ACTIVE), Optional.empty(), 0, 20);
        assertEquals(2, households.list(all).total());
        assertEquals(List.of("周*", "段*"), households.list(all).items().stream().map(HouseholdStore.Row::maskedName).toList(), "newest first");
        assertEquals(List.of("段*"), households.list(new HouseholdStore.Query(Optional.of("530521"), Optional.of("530521103"),
                Optional.of("liushou_laoren"), Optional.empty(), Optional.empty(), Optional.empty(), 0, 20)).items().stream()
                .map(HouseholdStore.Row::maskedName).toList());
        assertEquals(List.of("周*"), households.list(new HouseholdStore.Query(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of("53052119400229004X"), 0, 20)).items().stream()
                .map(HouseholdStore.Row::maskedName).toList());
        assertEquals(0, households.list(new HouseholdStore.Query(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of("530521195503010021"), 0, 20)).total(), "an unknown number finds nothing");
    }
}
