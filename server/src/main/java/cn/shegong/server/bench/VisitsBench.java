package cn.shegong.server.bench;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import cn.shegong.core.casework.Areas;
import cn.shegong.core.config.ConfigLoader;
import cn.shegong.core.households.Household;
import cn.shegong.core.households.HouseholdStore;
import cn.shegong.core.households.IdNumbers;
import cn.shegong.core.time.AdjustableClock;

/**
 * {@code ./shegong bench visits [--households N]}: N households (fixed seed) across the city's
 * townships, enrolled through the registry on a fresh instance on the embedded defaults, then the
 * daily visit sweep timed (the first run of a morning, and a second the same day), a worker's
 * list of open visits, the console's household list (city, county, township by category, an ID
 * number) and the quarter's visit figures.
 */
public final class VisitsBench {

    private static final String[] CATEGORIES = {"liushou_laoren", "shineng_laoren", "liushou_ertong", "fensan_tekun", "guer", "kunjing_ertong"};

    private static final Optional<Household.Status> ACTIVE = Optional.of(Household.Status.ACTIVE);
    private static final Optional<Household.Risk> ANY_RISK = Optional.empty();

    private VisitsBench() {
    }

    public static int run(List<String> args, PrintStream out, Starter starter) throws Exception {
        int n = args.size() == 2 && args.get(0).equals("--households") ? Integer.parseInt(args.get(1)) : 100_000;
        Map<String, String> env = new HashMap<>(starter.demoEnv());
        Scratch scratch = Scratch.create("shegong-visits-bench");
        env.put("SHEGONG_DATA_DIR", scratch.dir().toString());
        env.put("SERVER_PORT", "0");
        env.put("ADMIN_PORT", "0");
        AdjustableClock clock = new AdjustableClock(Clock.systemUTC());
        ZonedDateTime now = clock.instant().atZone(ZoneId.of("Asia/Shanghai"));
        ZonedDateTime morning = now.withHour(9).withMinute(0).withSecond(0).withNano(0);
        clock.advance(Duration.between(now, morning.isAfter(now) ? morning : morning.plusDays(1))); // outside the quiet hours
        try (scratch; Starter.Running running = starter.start(ConfigLoader.load(env), clock)) {
            Areas areas = Areas.baoshan();
            Random random = new Random(13);
            LocalDate today = clock.instant().atZone(ZoneId.of("Asia/Shanghai")).toLocalDate();
            long t0 = System.nanoTime();
            String lastId = "";
            for (int i = 0; i < n; i++) {
                Areas.Township t = areas.townships().get(random.nextInt(areas.townships().size()));
                LocalDate born = LocalDate.of(1930 + random.nextInt(80), 1 + random.nextInt(12), 1 + random.nextInt(28));
                String first17 = t.countyCode() + born.toString().replace("-", "") + String.format("%03d", i % 1000);
                lastId = first17 + IdNumbers.checkCharacter(first17);
                running.enrol(new HouseholdStore.Facts(List.of(new Household.Member("bench" + i, Optional.of(lastId),
                        Optional.empty(), "", Optional.of(born))), t.code(), t.countyCode(), "", "",
                        Map.of(CATEGORIES[random.nextInt(CATEGORIES.length)], today.minusDays(random.nextInt(90))),
                        Household.Risk.values()[random.nextInt(3)], ""), "w-bench-" + (i % 500), today);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            out.printf("enrolled %d households (each with its next visit) in %.1f s: %.0f a second%n", n, seconds, n / seconds);
            for (String run : List.of("first sweep of the morning", "second sweep the same day")) {
                long s0 = System.nanoTime();
                String result = running.sweep();
                out.printf("%s: %.0f ms (%s)%n", run, (System.nanoTime() - s0) / 1e6, result);
            }
            long w0 = System.nanoTime();
            int open = running.openVisits("w-bench-7");
            out.printf("a worker's open visits (%d): %.1f ms%n", open, (System.nanoTime() - w0) / 1e6);
            Areas.Township yaoguan = areas.byCode("530521103").orElseThrow(); // 施甸县姚关镇
            Optional<String> none = Optional.empty();
            Map<String, HouseholdStore.Query> lists = new java.util.LinkedHashMap<>();
            lists.put("the city's list, first page", new HouseholdStore.Query(none, none, none, ANY_RISK, ACTIVE, none, 0, 20));
            lists.put("a county's list, page 10", new HouseholdStore.Query(Optional.of(yaoguan.countyCode()), none, none, ANY_RISK, ACTIVE, none, 10, 20));
            lists.put("a township's list by category", new HouseholdStore.Query(none, Optional.of(yaoguan.code()), Optional.of("guer"), ANY_RISK,
                    ACTIVE, none, 0, 20));
            lists.put("a search by ID number", new HouseholdStore.Query(none, none, none, ANY_RISK, Optional.empty(), Optional.of(lastId), 0, 20));
            for (var e : lists.entrySet()) {
                for (int round = 0; round < 3; round++) { // the third is what a user sees once the store is warm
                    long l0 = System.nanoTime();
                    long total = running.list(e.getValue()).total();
                    if (round == 2) {
                        out.printf("%s (%d households): %.0f ms%n", e.getKey(), total, (System.nanoTime() - l0) / 1e6);
                    }
                }
            }
            LocalDate quarter = today.withDayOfMonth(1).withMonth((today.getMonthValue() - 1) / 3 * 3 + 1);
            long f0 = System.nanoTime();
            String q = running.figures(quarter, quarter.plusMonths(3).minusDays(1), today);
            out.printf("the quarter's visit figures for the city: %.0f ms (%s)%n", (System.nanoTime() - f0) / 1e6, q);
        }
        return 0;
    }

    /** What the bench needs of the service, so this package does not reach into the server's internals. */
    public interface Starter {
        Map<String, String> demoEnv();

        Running start(cn.shegong.core.config.ShegongConfig config, Clock clock);

        interface Running extends AutoCloseable {
            void enrol(HouseholdStore.Facts facts, String workerId, LocalDate today);

            String sweep();

            int openVisits(String workerId);

            HouseholdStore.Page list(HouseholdStore.Query query);

            String figures(LocalDate from, LocalDate to, LocalDate today);

            @Override
            void close();
        }
    }
}
