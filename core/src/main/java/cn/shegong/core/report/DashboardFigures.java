package cn.shegong.core.report;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import cn.shegong.core.casework.Areas;
import cn.shegong.core.casework.Case;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;

/**
 * The console's first glance, from one read of the requests still open and those of the last
 * eight weeks (nothing sealed): today's new requests, those waiting for a worker, the urgent ones
 * open, the open ones past a deadline, the deadlines missed this week, requests by week and
 * category, and satisfaction over the period read.
 */
public final class DashboardFigures {

    public static final int WEEKS = 8;

    /**
     * @param weeks the Monday of each of the last eight weeks → category → requests received
     */
    public record Today(int newToday, int waiting, int urgentOpen, int overdueOpen, int missedThisWeek,
                        Map<LocalDate, Map<String, Integer>> weeks, int ratings, Optional<Double> averageRating) {
    }

    /** One township's counts (the key "" holds requests whose township is unknown). */
    public static final class Counts {
        private final int[] n = new int[5];
        private final Map<LocalDate, Map<String, Integer>> weeks = new TreeMap<>();
        private int ratings;
        private long ratingSum;
    }

    private final MongoCollection<Document> cases;

    public DashboardFigures(MongoDatabase db) {
        this.cases = db.getCollection("cases");
    }

    /** The figures of an area on {@code today}, read now. */
    public Today of(Optional<String> county, Optional<String> township, LocalDate today) {
        return sum(byTownship(today), county, township, today);
    }

    /** The figures of an area: the sum of its townships' counts. */
    public static Today sum(Map<String, Counts> byTownship, Optional<String> county, Optional<String> township, LocalDate today) {
        LocalDate firstMonday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).minusWeeks(WEEKS - 1);
        Map<LocalDate, Map<String, Integer>> weeks = new TreeMap<>();
        for (int w = 0; w < WEEKS; w++) {
            weeks.put(firstMonday.plusWeeks(w), new TreeMap<>());
        }
        int[] n = new int[5];
        int ratings = 0;
        long ratingSum = 0;
        for (var e : byTownship.entrySet()) {
            if (!Areas.within(e.getKey(), county, township)) {
                continue;
            }
            Counts c = e.getValue();
            for (int i = 0; i < n.length; i++) {
                n[i] += c.n[i];
            }
            c.weeks.forEach((monday, byCategory) -> byCategory.forEach((code, k) ->
                    weeks.computeIfAbsent(monday, x -> new TreeMap<>()).merge(code, k, Integer::sum)));
            ratings += c.ratings;
            ratingSum += c.ratingSum;
        }
        return new Today(n[0], n[1], n[2], n[3], n[4], weeks, ratings, ratings == 0 ? Optional.empty() : Optional.of((double) ratingSum / ratings));
    }

    /**
     * Every township's counts on {@code today}, from one read of the requests still open and those
     * of the last eight weeks (for the dashboard, which keeps it briefly and sums any area from it).
     */
    public Map<String, Counts> byTownship(LocalDate today) {
        LocalDate firstMonday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).minusWeeks(WEEKS - 1);
        Instant since = firstMonday.atStartOfDay(CaseFigures.BAOSHAN).toInstant();
        Instant startOfToday = today.atStartOfDay(CaseFigures.BAOSHAN).toInstant();
        Instant weekAgo = startOfToday.minus(Duration.ofDays(6));
        Map<String, Counts> out = new TreeMap<>();
        List<String> open = Case.Status.open().stream().map(Enum::name).toList();
        cases.find(Filters.or(Filters.gte("createdAt", Date.from(since)), Filters.in("status", open)))
                .projection(new Document("category", 1).append("urgent", 1).append("status", 1).append("townshipCode", 1)
                        .append("createdAt", 1).append("assigneeId", 1).append("timeline.kind", 1).append("timeline.at", 1).append("rating", 1))
                .batchSize(1000)
                .forEach(d -> {
                    Counts c = out.computeIfAbsent(d.getString("townshipCode") == null ? "" : d.getString("townshipCode"), k -> new Counts());
                    Instant created = d.getDate("createdAt").toInstant();
                    boolean isOpen = open.contains(d.getString("status"));
                    List<Document> timeline = d.getList("timeline", Document.class, List.of());
                    c.n[0] += created.isBefore(startOfToday) ? 0 : 1;
                    c.n[1] += isOpen && d.getString("assigneeId") == null ? 1 : 0;
                    c.n[2] += isOpen && d.getBoolean("urgent", false) ? 1 : 0;
                    c.n[3] += isOpen && timeline.stream().anyMatch(e -> "deadline_missed".equals(e.getString("kind"))) ? 1 : 0;
                    c.n[4] += (int) timeline.stream().filter(e -> "deadline_missed".equals(e.getString("kind"))
                            && !e.getDate("at").toInstant().isBefore(weekAgo)).count();
                    if (!created.isBefore(since)) {
                        LocalDate monday = created.atZone(CaseFigures.BAOSHAN).toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                        c.weeks.computeIfAbsent(monday, k -> new TreeMap<>()).merge(d.getString("category"), 1, Integer::sum);
                        Optional.ofNullable(d.getInteger("rating")).ifPresent(r -> {
                            c.ratings++;
                            c.ratingSum += r;
                        });
                    }
                });
        return out;
    }
}
