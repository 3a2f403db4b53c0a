package cn.shegong.server;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import cn.shegong.core.casework.Areas;
import cn.shegong.core.households.Household;
import cn.shegong.core.households.HouseholdStore;
import cn.shegong.core.households.IdNumbers;
import cn.shegong.core.staff.Worker;

/**
 * The demo's households under care, generated with a fixed seed: at the demo station, a dozen in
 * the bound worker's care (some due today, some overdue, one high-risk), so the visit reminders
 * and 任务 show at once; and about two thousand across the city, one in six with a visit already
 * done and its note (templates/demo/seed.yaml; one in twenty of those raises a 动态监测 flag). Invented names; ID numbers are valid
 * in form only (checked by GB 11643) and phones are 139-0000-xxxx.
 */
final class DemoHouseholds {

    private static final String[] CATEGORIES = {"liushou_laoren", "shineng_laoren", "liushou_ertong", "fensan_tekun", "guer",
            "shishi_wuren", "tekun_ertong", "kunjing_ertong"};
    /** Roughly the report's proportions: many elders and left-behind children, few orphans. */
    private static final int[] WEIGHTS = {18, 30, 28, 8, 2, 3, 2, 9};
    /** Across the city, beside the demo worker's dozen. */
    static final int CITY_HOUSEHOLDS = 2000;

    private DemoHouseholds() {
    }

    static void seed(Shegong shegong, List<String> surnames, List<String> given, List<String> notes, List<String> riskNotes,
                     Worker demoWorker, Instant now, Random random) {
        LocalDate today = now.atZone(ZoneId.of("Asia/Shanghai")).toLocalDate();
        Areas areas = Areas.baoshan();
        Areas.Township demo = areas.byCode(DemoSeed.DEMO_STATION).orElseThrow();
        for (int i = 0; i < 12; i++) {
            String category = i % 3 == 0 ? "liushou_laoren" : i % 3 == 1 ? "liushou_ertong" : "fensan_tekun";
            LocalDate since = today.minusDays(30L + random.nextInt(60)); // due now or overdue by days to weeks
            enrol(shegong, demo, category, since, i == 0 ? Household.Risk.HIGH : Household.Risk.MEDIUM, surnames, given,
                    Optional.of(demoWorker.id()), i, today, now, random);
        }
        List<Areas.Township> townships = areas.townships();
        for (int i = 0; i < CITY_HOUSEHOLDS; i++) {
            Areas.Township t = townships.get(random.nextInt(townships.size()));
            Optional<String> worker = shegong.staff().workers(t.code()).stream().filter(Worker::active).map(Worker::id)
                    .skip(random.nextInt(2)).findFirst();
            String id = enrol(shegong, t, pick(random), today.minusDays(random.nextInt(400)), Household.Risk.values()[random.nextInt(3)],
                    surnames, given, worker, 100 + i, today, now, random);
            if (i % 6 == 0 && worker.isPresent()) { // a visit already done, some days ago, with its note
                String name = shegong.staff().worker(worker.get()).map(Worker::name).orElse("");
                int k = i / 6;
                String note = k % 20 == 0 ? riskNotes.get((k / 20) % riskNotes.size()) : notes.get(k % notes.size());
                LocalDate on = today.minusDays(1 + random.nextInt(20));
                shegong.households().households().find(id).flatMap(Household::nextVisit).ifPresent(code -> shegong.households().registry().recordVisit(code, on, name,
                        note, now));
            }
        }
    }

    private static String enrol(Shegong shegong, Areas.Township t, String category, LocalDate since, Household.Risk risk, List<String> surnames,
                              List<String> given, Optional<String> worker, int n, LocalDate today, Instant now, Random random) {
        String name = surnames.get(random.nextInt(surnames.size())) + given.get(random.nextInt(given.size()));
        boolean child = category.contains("ertong") || category.equals("guer") || category.equals("shishi_wuren");
        LocalDate born = child ? today.minusYears(6 + random.nextInt(10)).minusDays(random.nextInt(365))
                : today.minusYears(66 + random.nextInt(25)).minusDays(random.nextInt(365));
        String first17 = t.countyCode() + born.toString().replace("-", "") + String.format("%03d", n % 1000);
        String id = first17 + IdNumbers.checkCharacter(first17);
        return shegong.households().registry().enrol(new HouseholdStore.Facts(List.of(new Household.Member(name, Optional.of(id),
                Optional.of(String.format("1390000%04d", n)), "", Optional.of(born))), t.code(), t.countyCode(), "", "",
                Map.of(category, since), risk, ""), worker, today, now).id();
    }

    private static String pick(Random random) {
        int total = 0;
        for (int w : WEIGHTS) {
            total += w;
        }
        int r = random.nextInt(total);
        for (int i = 0; i < WEIGHTS.length; i++) {
            r -= WEIGHTS[i];
            if (r < 0) {
                return CATEGORIES[i];
            }
        }
        return CATEGORIES[0];
    }
}
