package cn.shegong.core.households;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import cn.shegong.core.casework.Areas;
import cn.shegong.core.time.Kept;

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

    private record Period(LocalDate from, LocalDate to, LocalDate today) {
    }

    private final Kept<Period, RegistryFigures.ByTownship> kept;

    public RegistrySnapshot(RegistryFigures figures, Clock clock) {
        this.kept = new Kept<>(FRESH, clock, "registry", p -> figures.byTownship(p.from(), p.to(), p.today()));
    }

    /** The snapshot of this period (a new quarter or a new day is read at once: visits' states change with it). */
    public Snapshot of(LocalDate from, LocalDate to, LocalDate today) {
        Kept.Value<RegistryFigures.ByTownship> v = kept.get(new Period(from, to, today));
        return new Snapshot(from, to, today, v.at(), v.value().visits(), v.value().inCare());
    }

    @Override
    public void close() {
        kept.close();
    }
}
