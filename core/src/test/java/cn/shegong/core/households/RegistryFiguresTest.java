package cn.shegong.core.households;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.core.storage.FieldCipher;
import cn.shegong.core.testing.TestMongo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Each figure against a dataset built to give known numbers: on time, late, missed, open; in care; newly enrolled; by area. */
class RegistryFiguresTest {

    @RegisterExtension
    static final TestMongo mongo = new TestMongo();

    @Test
    void aQuartersVisitsAndHouseholdsAreCountedByCategoryAndArea() {
        var db = mongo.fresh("figures_test");
        FieldCipher cipher = new FieldCipher(new byte[32]);
        HouseholdStore households = new HouseholdStore(db, cipher);
        VisitStore visits = new VisitStore(db, cipher);
        Registry registry = new Registry(households, visits, new VisitPolicy(), new Monitoring(db, new RiskSignals(), cipher));
        Instant now = Instant.parse("2026-11-30T02:00:00Z");
        LocalDate today = LocalDate.of(2026, 11, 30);
        // Quarterly (特困), enrolled 2026-07-01: first visit due 2026-10-01.
        String onTime = enrol(registry, "530521195503010020", "530521103", "fensan_tekun", LocalDate.of(2026, 7, 1), now);
        // Quarterly, due 2026-10-01, done 2026-10-20: past the 7-day grace, late.
        String late = enrol(registry, "53052119400229004X", "530521103", "fensan_tekun", LocalDate.of(2026, 7, 1), now);
        // Monthly (留守老人) in another county (隆阳区 530502), enrolled 2026-10-05: due 2026-11-05, never done: missed by today.
        enrol(registry, "530502195001010013", "530502001", "liushou_laoren", LocalDate.of(2026, 10, 5), now);
        // Monthly, enrolled 2026-11-01 in 姚关镇: due 2026-12-01, in the quarter and still open.
        enrol(registry, "530521196001010017", "530521103", "liushou_laoren", LocalDate.of(2026, 11, 1), now);
        registry.recordVisit(next(households, onTime), LocalDate.of(2026, 10, 3), "w1", "", now);
        registry.recordVisit(next(households, late), LocalDate.of(2026, 10, 20), "w1", "", now);

        RegistryFigures figures = new RegistryFigures(db, new VisitPolicy());
        RegistryFigures.Figures q4 = figures.of(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 12, 31), Optional.empty(), Optional.empty(), today);
        assertEquals(new RegistryFigures.Visits(2, 1, 1, 0, 0), q4.visits().get("fensan_tekun"));
        assertEquals(new RegistryFigures.Visits(2, 0, 0, 1, 1), q4.visits().get("liushou_laoren"));
        assertEquals(new RegistryFigures.Visits(4, 1, 1, 1, 1), q4.visits().get(RegistryFigures.ALL),
                "the next quarterly visits (due 2027) are outside the quarter");
        assertEquals(Map.of("fensan_tekun", 2, "liushou_laoren", 2), q4.inCare());
        assertEquals(Map.of("liushou_laoren", 2), q4.newlyEnrolled(), "enrolled in October and November");
        assertEquals(4, q4.households());

        RegistryFigures.Figures shidian = figures.of(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 12, 31), Optional.of("530521"),
                Optional.empty(), today);
        assertEquals(new RegistryFigures.Visits(3, 1, 1, 0, 1), shidian.visits().get(RegistryFigures.ALL));
        assertEquals(3, shidian.households());
        assertNull(figures.of(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 10, 31), Optional.empty(), Optional.of("530502001"), today)
                .visits().get(RegistryFigures.ALL), "nothing due there in October");
        assertEquals(List.of(), List.copyOf(figures.of(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 12, 31), Optional.empty(),
                Optional.of("530521104"), today).inCare().keySet()));

        // The dashboard's snapshot: the same numbers, summed from townships, for any area.
        cn.shegong.core.time.AdjustableClock clock = new cn.shegong.core.time.AdjustableClock(java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));
        try (RegistrySnapshot snapshots = new RegistrySnapshot(figures, clock)) {
            RegistrySnapshot.Snapshot s = snapshots.of(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 12, 31), today);
            assertEquals(Map.of("530502", new RegistryFigures.Visits(1, 0, 0, 1, 0), "530521", new RegistryFigures.Visits(3, 1, 1, 0, 1)),
                    s.visitsByCounty(Optional.empty(), Optional.empty()));
            assertEquals(Map.of("530521", new RegistryFigures.Visits(3, 1, 1, 0, 1)), s.visitsByCounty(Optional.empty(), Optional.of("530521103")),
                    "a station counts its own visits");
            assertEquals(q4.inCare(), s.inCare(Optional.empty(), Optional.empty()));
            assertEquals(Map.of("fensan_tekun", 2, "liushou_laoren", 1), s.inCare(Optional.of("530521"), Optional.empty()));
            enrol(registry, "530521197001010012", "530521103", "liushou_laoren", LocalDate.of(2026, 11, 2), now);
            assertEquals(s, snapshots.of(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 12, 31), today), "within five minutes: the same snapshot");
            RegistrySnapshot.Snapshot tomorrow = snapshots.of(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 12, 31), today.plusDays(1));
            assertEquals(2, tomorrow.inCare(Optional.of("530521"), Optional.empty()).get("liushou_laoren"),
                    "a new day reads afresh: the household enrolled since is counted");
        }
    }

    private static String enrol(Registry registry, String id, String township, String category, LocalDate since, Instant now) {
        return registry.enrol(new HouseholdStore.Facts(List.of(new Household.Member("某某", Optional.of(id), Optional.empty(), "本人",
                        Optional.empty())), township, township.substring(0, 6), "", "", Map.of(category, since), Household.Risk.MEDIUM, ""),
                Optional.of("w1"), since, now).id(); // enrolled that day: the first visit is one period later
    }

    private static String next(HouseholdStore households, String id) {
        return households.find(id).orElseThrow().nextVisit().orElseThrow();
    }
}
