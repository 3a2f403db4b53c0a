package cn.shegong.core.report;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import cn.shegong.core.casework.Areas;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;

/**
 * The requests of a period and an area, counted from what the cases record (never a sealed field):
 * received, resolved and still open by category and urgency; the median hours to assignment, to
 * the first contact and to closing; how many met every deadline; what closing achieved (persons
 * newly granted 低保 and 特困, 临时救助 人次 and amount — one person per request); satisfaction.
 */
public final class CaseFigures {

    static final ZoneId BAOSHAN = ZoneId.of("Asia/Shanghai");

    /** Counts of one category (or of all: the key {@code *}). */
    public record Counts(int received, int urgent, int resolved, int open, int cancelled) {
        Counts plus(Counts o) {
            return new Counts(received + o.received, urgent + o.urgent, resolved + o.resolved, open + o.open, cancelled + o.cancelled);
        }
    }

    /** @param missedByStation township code → deadlines missed; {@code missedByWorker} the assignee's name → deadlines missed */
    public record Figures(Map<String, Counts> byCategory, Optional<Double> medianHoursToAssign, Optional<Double> medianHoursToContact,
                          Optional<Double> medianHoursToClose, int metDeadlines, int missedDeadlines, Map<String, Integer> outcomes,
                          long reliefAmount, int ratings, Optional<Double> averageRating, Map<String, Integer> missedByStation,
                          Map<String, Integer> missedByWorker) {
    }

    public static final String ALL = "*";

    private final MongoCollection<Document> cases;

    public CaseFigures(MongoDatabase db) {
        this.cases = db.getCollection("cases");
    }

    public Figures of(LocalDate from, LocalDate to, Optional<String> county, Optional<String> township) {
        Instant start = from.atStartOfDay(BAOSHAN).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(BAOSHAN).toInstant();
        Map<String, Counts> byCategory = new TreeMap<>();
        List<Double> toAssign = new ArrayList<>();
        List<Double> toContact = new ArrayList<>();
        List<Double> toClose = new ArrayList<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        long[] amount = {0};
        int[] deadlines = {0, 0};
        List<Integer> ratings = new ArrayList<>();
        Map<String, Integer> byStation = new TreeMap<>();
        Map<String, Integer> byWorker = new TreeMap<>();
        cases.find(Filters.and(Filters.gte("createdAt", Date.from(start)), Filters.lt("createdAt", Date.from(end))))
                .projection(new Document("category", 1).append("urgent", 1).append("status", 1).append("townshipCode", 1)
                        .append("createdAt", 1).append("firstContactAt", 1).append("timeline", 1).append("outcomes", 1).append("rating", 1)
                        .append("assigneeName", 1))
                .batchSize(1000) // the embedded store answers an unbounded find in one reply, which past 48 MB the driver refuses
                .forEach(d -> {
                    String t = d.getString("townshipCode") == null ? "" : d.getString("townshipCode");
                    if (!Areas.within(t, county, township)) {
                        return;
                    }
                    String status = d.getString("status");
                    Counts c = new Counts(1, d.getBoolean("urgent", false) ? 1 : 0, status.equals("CLOSED") ? 1 : 0,
                            status.equals("CLOSED") || status.equals("CANCELLED") ? 0 : 1, status.equals("CANCELLED") ? 1 : 0);
                    byCategory.merge(d.getString("category"), c, Counts::plus);
                    byCategory.merge(ALL, c, Counts::plus);
                    Instant created = d.getDate("createdAt").toInstant();
                    List<Document> timeline = d.getList("timeline", Document.class, List.of());
                    first(timeline, "assigned").ifPresent(at -> toAssign.add(hours(created, at)));
                    Optional.ofNullable(d.getDate("firstContactAt")).ifPresent(at -> toContact.add(hours(created, at.toInstant())));
                    if (status.equals("CLOSED")) {
                        last(timeline, "closed").ifPresent(at -> toClose.add(hours(created, at)));
                    }
                    if (!status.equals("CANCELLED")) {
                        deadlines[timeline.stream().anyMatch(e -> "deadline_missed".equals(e.getString("kind"))) ? 1 : 0]++;
                    }
                    int missed = (int) timeline.stream().filter(e -> "deadline_missed".equals(e.getString("kind"))).count();
                    if (missed > 0) {
                        byStation.merge(t, missed, Integer::sum);
                        Optional.ofNullable(d.getString("assigneeName")).ifPresent(w -> byWorker.merge(w, missed, Integer::sum));
                    }
                    for (Document o : d.getList("outcomes", Document.class, List.of())) {
                        outcomes.merge(o.getString("code"), 1, Integer::sum);
                        Object a = o.get("amount");
                        amount[0] += a instanceof Number n ? n.longValue() : 0;
                    }
                    Optional.ofNullable(d.getInteger("rating")).ifPresent(ratings::add);
                });
        return new Figures(byCategory, median(toAssign), median(toContact), median(toClose), deadlines[0], deadlines[1], outcomes,
                amount[0], ratings.size(), ratings.isEmpty() ? Optional.empty()
                        : Optional.of(ratings.stream().mapToInt(Integer::intValue).average().orElse(0)), byStation, byWorker);
    }

    private static Optional<Instant> first(List<Document> timeline, String kind) {
        return timeline.stream().filter(e -> kind.equals(e.getString("kind"))).map(e -> e.getDate("at").toInstant()).findFirst();
    }

    private static Optional<Instant> last(List<Document> timeline, String kind) {
        return timeline.stream().filter(e -> kind.equals(e.getString("kind"))).map(e -> e.getDate("at").toInstant()).reduce((a, b) -> b);
    }

    private static double hours(Instant from, Instant to) {
        return Duration.between(from, to).toMinutes() / 60.0;
    }

    static Optional<Double> median(List<Double> values) {
        if (values.isEmpty()) {
            return Optional.empty();
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return Optional.of(n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2);
    }
}
