package cn.shegong.server;

import java.io.PrintStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import cn.shegong.admin.account.Role;
import cn.shegong.core.casework.Areas;
import cn.shegong.core.casework.CaseStore;
import cn.shegong.core.casework.Category;
import cn.shegong.core.config.ConfigLoader;
import cn.shegong.server.bench.Scratch;

/**
 * {@code ./shegong bench inbox [--cases N]}: seeds N cases (fixed seed) into a fresh instance on the
 * embedded defaults and times the console's inbox queries, the dashboard and this quarter's report
 * (JSON and Excel) over HTTP as a city and a county admin.
 */
final class InboxBench {

    private InboxBench() {
    }

    static int run(List<String> args, PrintStream out) throws Exception {
        int n = option(args, "--cases", 100_000);
        int households = option(args, "--households", 0);
        Map<String, String> env = new HashMap<>(Main.demoEnv());
        Scratch scratch = Scratch.create("shegong-inbox-bench");
        env.put("SHEGONG_DATA_DIR", scratch.dir().toString());
        env.put("SERVER_PORT", "0");
        env.put("ADMIN_PORT", "0");
        try (scratch; Shegong shegong = Shegong.start(ConfigLoader.load(env), Clock.systemUTC())) {
            Areas areas = Areas.baoshan();
            Random random = new Random(42);
            Category[] categories = Category.values();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                var township = areas.townships().get(random.nextInt(areas.townships().size()));
                shegong.cases().create(new CaseStore.NewCase("o-bench-" + (i % 5000), categories[random.nextInt(categories.length)],
                        random.nextInt(50) == 0, Optional.of(township), Optional.of("x"), Optional.of("138" + String.format("%08d", i)),
                        "bench " + i, false), Clock.systemUTC().instant());
            }
            out.printf("seeded %d cases in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
            enrolHouseholds(shegong, households, random, out);
            shegong.accounts().create("bench-city", "bench-password", Role.CITY, Shegong.CITY_AREA, false, Clock.systemUTC().instant());
            shegong.accounts().create("bench-county", "bench-password", Role.COUNTY, "530521", false, Clock.systemUTC().instant());
            for (String user : List.of("bench-city", "bench-county")) {
                String base = "http://127.0.0.1:" + shegong.adminPort();
                HttpClient http = signedIn(base, user);
                for (String path : List.of("/api/cases", "/api/cases?urgent=true", "/api/cases?q=BS", "/api/cases?q=13800000042",
                        "/api/cases?page=50", "/api/dashboard", "/api/report", "/api/report.xlsx")) {
                    long[] ms = new long[5];
                    for (int r = 0; r < ms.length; r++) {
                        long s = System.nanoTime();
                        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        ms[r] = (System.nanoTime() - s) / 1_000_000;
                        if (res.statusCode() != 200) {
                            throw new IllegalStateException(res.body());
                        }
                    }
                    Arrays.sort(ms);
                    out.printf("%-13s %-26s median %5d ms, max %5d ms%n", user, path, ms[2], ms[4]);
                }
                http.close();
            }
            exportAll(shegong, out);
        }
        return 0;
    }

    private static int option(List<String> args, String name, int otherwise) {
        int i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? Integer.parseInt(args.get(i + 1)) : otherwise;
    }

    /** Households in care across the city (for the dashboard's registry figures), each with its next visit. */
    private static void enrolHouseholds(Shegong shegong, int n, Random random, PrintStream out) {
        if (n == 0) {
            return;
        }
        String[] categories = {"liushou_laoren", "shineng_laoren", "liushou_ertong", "fensan_tekun", "dibao"};
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai"));
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            var t = Areas.baoshan().townships().get(random.nextInt(Areas.baoshan().townships().size()));
            shegong.households().registry().enrol(new cn.shegong.core.households.HouseholdStore.Facts(List.of(new cn.shegong.core.households.Household.Member(
                    "bench" + i, Optional.empty(), Optional.empty(), "", Optional.empty())), t.code(), t.countyCode(), "", "",
                    Map.of(categories[random.nextInt(categories.length)], today.minusDays(random.nextInt(120))),
                    cn.shegong.core.households.Household.Risk.LOW, ""), Optional.empty(), today, Clock.systemUTC().instant());
        }
        out.printf("enrolled %d households in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
    }

    /** A browser signed in to the console as {@code user}. */
    private static HttpClient signedIn(String base, String user) throws Exception {
        HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        http.send(HttpRequest.newBuilder(URI.create(base + "/api/login")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + user + "\",\"password\":\"bench-password\"}")).build(),
                HttpResponse.BodyHandlers.discarding());
        return http;
    }

    /** Every case as one Excel file (the city, all statuses): time, size, and the heap's peak while it streams. */
    private static void exportAll(Shegong shegong, PrintStream out) throws Exception {
        String base = "http://127.0.0.1:" + shegong.adminPort();
        HttpClient http = signedIn(base, "bench-city");
        System.gc();
        var pools = java.lang.management.ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP).toList();
        pools.forEach(java.lang.management.MemoryPoolMXBean::resetPeakUsage);
        long s = System.nanoTime();
        HttpResponse<java.io.InputStream> res = http.send(HttpRequest.newBuilder(URI.create(base + "/api/cases.xlsx?status=ALL")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long bytes;
        try (java.io.InputStream in = res.body()) {
            bytes = in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        long peak = pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        out.printf("bench-city    /api/cases.xlsx?status=ALL   %d: %.1f s, %.1f MB, heap peak %d MB of %d MB max%n", res.statusCode(),
                (System.nanoTime() - s) / 1e9, bytes / 1e6, peak >> 20, Runtime.getRuntime().maxMemory() >> 20);
        http.close();
    }
}
