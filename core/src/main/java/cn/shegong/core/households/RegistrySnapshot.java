package cn.shegong.core.households;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import cn.shegong.core.casework.Areas;

/**
 * The registry's part of the dashboard — a quarter's visit compliance and the households in care —
 * for every township at once, read in one pass and kept for {@link #FRESH} so that any area's
 * dashboard is a sum of townships, not a scan of 100,000 households. When a snapshot is older than
 * that, the next dashboard still gets it at once and one background refresh (never two) replaces
 * it; the first dashboard of a quarter waits for its snapshot. The report always reads the records
 * themselves: exact, and slower.
 */
public final class RegistrySnapshot implements AutoCloseable {

    public static final Duration FRESH = Duration.ofMinutes(5);
    private static final Logger LOG = Logger.getLogger(RegistrySnapshot.class.getName());

    /** Per township code: visits by category, households in care by category; and when it was read. */
    public record Snapshot(LocalDate from, LocalDate to, LocalDate today, Instant at,
                           Map<String, Map<String, RegistryFigures.Visits>> visits, Map<String, Map<String, Integer>> inCare) {

        /** Visit compliance by county (first six digits) within an area. */
        public Map<String, RegistryFigures.Visits> visitsByCounty(Optional<String> county, Optional<String> township) {
            Map<String, RegistryFigures.Visits> out = new TreeMap<>();
            visits.forEach((t, byCategory) -> {
                if (t.length() >= 6 && Areas.within(t, county, township)) {
                    byCategory.values().forEach(v -> out.merge(t.substring(0, 6), v, RegistryFigures.Visits::plus));
                }
            });
            return out;
        }

        /** Households in care by category within an area. */
        public Map<String, Integer> inCare(Optional<String> county, Optional<String> township) {
            Map<String, Integer> out = new TreeMap<>();
            inCare.forEach((t, byCategory) -> {
                if (Areas.within(t, county, township)) {
                    byCategory.forEach((code, n) -> out.merge(code, n, Integer::sum));
                }
            });
            return out;
        }
    }

    private final RegistryFigures figures;
    private final Clock clock;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final ExecutorService refresher = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("shegong-registry-snapshot").factory());
    private volatile Snapshot current;

    public RegistrySnapshot(RegistryFigures figures, Clock clock) {
        this.figures = figures;
        this.clock = clock;
    }

    public Snapshot of(LocalDate from, LocalDate to, LocalDate today) {
        Snapshot s = current;
        if (s == null || !s.from().equals(from) || !s.to().equals(to) || !s.today().equals(today)) {
            s = read(from, to, today); // a new quarter or a new day: the states of visits change with it
            current = s;
            return s;
        }
        if (s.at().plus(FRESH).isBefore(clock.instant()) && refreshing.compareAndSet(false, true)) {
            refresher.execute(() -> {
                try {
                    current = read(from, to, today);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "registry snapshot failed: " + e.getClass().getName(), e);
                } finally {
                    refreshing.set(false);
                }
            });
        }
        return s;
    }

    private Snapshot read(LocalDate from, LocalDate to, LocalDate today) {
        Instant at = clock.instant();
        RegistryFigures.ByTownship t = figures.byTownship(from, to, today);
        return new Snapshot(from, to, today, at, t.visits(), t.inCare());
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
