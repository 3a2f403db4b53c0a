package cn.shegong.core.households;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.core.storage.FieldCipher;
import cn.shegong.core.testing.TestMongo;
import com.mongodb.client.MongoDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 动态监测: a risk signal in a visit note flags the household once, sealed; a confirmed major change brings a visit within a day. */
class MonitoringTest {

    @RegisterExtension
    static final TestMongo mongo = new TestMongo();
    MongoDatabase db;
    HouseholdStore households;
    VisitStore visits;
    Monitoring monitoring;
    Registry registry;
    final LocalDate today = LocalDate.of(2026, 11, 30);
    final Instant now = Instant.parse("2026-11-30T02:00:00Z");

    @BeforeEach
    void fresh() {
        db = mongo.fresh("monitoring_test");
        FieldCipher cipher = new FieldCipher(new byte[32]);
        households = new HouseholdStore(db, cipher);
        visits = new VisitStore(db, cipher);
        monitoring = new Monitoring(db, new RiskSignals(), cipher);
        registry = new Registry(households, visits, new VisitPolicy(), monitoring);
    }

    String enrolled() {
        return registry.enrol(new HouseholdStore.Facts(List.of(new Household.Member("段桂芳", Optional.of("530521195503010020"),
                Optional.empty(), "本人", Optional.empty())), "530521103", "530521", "山邑村", "", Map.of("fensan_tekun", today),
                Household.Risk.MEDIUM, ""), Optional.of("w1"), today, now).id();
    }

    @Test
    void aRiskSignalInAVisitNoteFlagsTheHouseholdOnceWithTheWordsQuotedAndSealed() {
        String id = enrolled();
        String first = households.find(id).orElseThrow().nextVisit().orElseThrow();
        assertTrue(registry.recordVisit(first, today, "赵社工", "老人身体还行，儿子上月查出尿毒症，每周透析，家里开始借钱看病", now));
        List<Monitoring.Flag> open = monitoring.list(Optional.of("530521"), Optional.empty(), Monitoring.Decision.OPEN);
        assertEquals(1, open.size());
        assertEquals(List.of("illness", "debt"), open.get(0).signals());
        assertTrue(open.get(0).evidence().get(0).quote().contains("尿毒症"));
        assertEquals(Optional.of(id), open.get(0).subject().householdId());
        assertFalse(db.getCollection("monitoring_flags").find().first().toJson().contains("尿毒症"), "the quotes are sealed");

        String second = households.find(id).orElseThrow().nextVisit().orElseThrow();
        registry.recordVisit(second, today.plusMonths(3), "赵社工", "房子被泥石流冲毁了一半", now);
        open = monitoring.list(Optional.empty(), Optional.empty(), Monitoring.Decision.OPEN);
        assertEquals(1, open.size(), "one open flag gathers what comes before it is reviewed");
        assertEquals(List.of("illness", "debt", "disaster"), open.get(0).signals());
        assertTrue(monitoring.list(Optional.of("530581"), Optional.empty(), Monitoring.Decision.OPEN).isEmpty(), "another county sees none");

        assertTrue(monitoring.review(open.get(0).id(), Monitoring.Decision.RISK_RAISED, "shidian", now));
        assertFalse(monitoring.review(open.get(0).id(), Monitoring.Decision.DISMISSED, "yaoguan", now), "reviewed once");
        assertTrue(registry.recordVisit(households.find(id).orElseThrow().nextVisit().orElseThrow(), today.plusMonths(6), "赵社工",
                "家里一切正常", now));
        assertTrue(monitoring.list(Optional.empty(), Optional.empty(), Monitoring.Decision.OPEN).isEmpty(), "no signal, no flag");
    }

    @Test
    void aConfirmedMajorChangeMakesTheHouseholdHighRiskAndBringsItsNextVisitToWithinADay() {
        String id = enrolled();
        Visit quarterly = visits.find(households.find(id).orElseThrow().nextVisit().orElseThrow()).orElseThrow();
        assertEquals(today.plusMonths(3), quarterly.due());

        registry.raiseRisk(id, today, "shidian", now);
        Household h = households.find(id).orElseThrow();
        assertEquals(Household.Risk.HIGH, h.risk());
        Visit soon = visits.find(h.nextVisit().orElseThrow()).orElseThrow();
        assertEquals(today.plusDays(1), soon.due());
        assertEquals("重大变化后24小时内探访", soon.rule());
        assertEquals(Visit.Status.CANCELLED, visits.find(quarterly.code()).orElseThrow().status(), "the later visit gives way");

        assertTrue(registry.recordVisit(soon.code(), today.plusDays(1), "赵社工", "已上门", now));
        Visit weekly = visits.find(households.find(id).orElseThrow().nextVisit().orElseThrow()).orElseThrow();
        assertEquals(today.plusDays(8), weekly.due(), "then weekly, as high risk households are");
        assertEquals("risk_high", households.history(id).stream().map(HouseholdStore.Change::what).filter(w -> w.startsWith("risk")).findFirst()
                .orElseThrow());
    }
}
