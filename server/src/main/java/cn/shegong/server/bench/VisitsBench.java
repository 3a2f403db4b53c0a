package cn.shegong.server.bench;

import java.io.PrintStream;
import java.nio.file.Files;
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
 * daily visit sweep timed (the first run of a morning, and a second the same day) and a worker's
 * list of open visits.
 */
public final class VisitsBench {

    private static final String[] CATEGORIES = {"liushou_laoren", "shineng_laoren", "liushou_ertong", "fensan_tekun", "guer", "kunjing_ertong"};

    private VisitsBench() {
    }

    public static int run(List<String> args, PrintStream out, Starter starter) throws Exception {
        int n = args.size() == 2 && args.get(0).equals("--households") ? Integer.parseInt(args.get(1)) : 100_000;
        Map<String, String> env = new HashMap<>(starter.demoEnv());
        env.put("SHEGONG_DATA_DIR", Files.createTempDirectory("shegong-visits-bench").toString());
        env.put("SERVER_PORT", "0");
        env.put("ADMIN_PORT", "0");
        AdjustableClock clock = new AdjustableClock(Clock.systemUTC());
        ZonedDateTime now = clock.instant().atZone(ZoneId.of("Asia/Shanghai"));
        ZonedDateTime morning = now.withHour(9).withMinute(0).withSecond(0).withNano(0);
        clock.advance(Duration.between(now, morning.isAfter(now) ? morning : morning.plusDays(1))); // outside the quiet hours
        try (Starter.Running running = starter.start(ConfigLoader.load(env), clock)) {
            Areas areas = Areas.baoshan();
            Random random = new Random(13);
            LocalDate today = clock.instant().atZone(ZoneId.of("Asia/Shanghai")).toLocalDate();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Areas.Township t = areas.townships().get(random.nextInt(areas.townships().size()));
                LocalDate born = LocalDate.of(1930 + random.nextInt(80), 1 + random.nextInt(12), 1 + random.nextInt(28));
                String first17 = t.countyCode() + born.toString().replace("-", "") + String.format("%03d", i % 1000);
                running.enrol(new HouseholdStore.Facts(List.of(new Household.Member("bench" + i, Optional.of(first17 + IdNumbers.checkCharacter(first17)),
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

            @Override
            void close();
        }
    }
}
