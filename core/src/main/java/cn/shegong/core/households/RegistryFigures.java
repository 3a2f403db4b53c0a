package cn.shegong.core.households;

import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import cn.shegong.core.casework.Areas;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;

/**
 * The registry's figures for a period and an area: visits due, done on time, done late and missed
 * (by category); households in care by category; households newly enrolled per category. A visit
 * is on time when done within the policy's grace after its due date (the days before the station
 * head is told); missed when still open past that grace by the end of the period (or today, if
 * sooner). Counted by reading the period's visits and the area's households, never anything sealed.
 */
public final class RegistryFigures {

    /** Visit compliance of one category (or of all: the key {@code *}). */
    public record Visits(int due, int onTime, int late, int missed, int open) {
        public Visits plus(Visits o) {
            return new Visits(due + o.due, onTime + o.onTime, late + o.late, missed + o.missed, open + o.open);
        }
    }

    /** @param inCare households active in care by category; {@code newlyEnrolled} enrolled in the period by category */
    /** {@code newlyEnrolledPersons}: the members of those households, for figures counted in persons (新纳入低保 人). */
    public record Figures(LocalDate from, LocalDate to, Map<String, Visits> visits, Map<String, Integer> inCare,
                          Map<String, Integer> newlyEnrolled, Map<String, Integer> newlyEnrolledPersons, int households) {
    }

    public static final String ALL = "*";

    private final MongoCollection<Document> visits;
    private final MongoCollection<Document> households;
    private final int graceDays;

    public RegistryFigures(MongoDatabase db, VisitPolicy policy) {
        this.visits = db.getCollection("visits");
        this.households = db.getCollection("households");
        this.graceDays = policy.overdueDays();
    }

    /** Figures for visits due from {@code from} to {@code to} (inclusive), in a county or township (empty: everywhere). */
    public Figures of(LocalDate from, LocalDate to, Optional<String> county, Optional<String> township, LocalDate today) {
        Map<String, Visits> byCategory = new TreeMap<>();
        LocalDate end = to.isBefore(today) ? to : today;
        visits.find(Filters.and(Filters.gte("due", from.toString()), Filters.lte("due", to.toString()),
                        Filters.ne("status", Visit.Status.CANCELLED.name())))
                .projection(new Document("due", 1).append("status", 1).append("doneOn", 1).append("category", 1).append("stationCode", 1))
                .forEach(d -> {
                    String station = d.getString("stationCode");
                    if (!Areas.within(station, county, township)) {
                        return;
                    }
                    Visits v = visit(d, end);
                    byCategory.merge(d.getString("category"), v, Visits::plus);
                    byCategory.merge(ALL, v, Visits::plus);
                });
        Map<String, Integer> inCare = new TreeMap<>();
        Map<String, Integer> enrolled = new TreeMap<>();
        Map<String, Integer> persons = new TreeMap<>();
        int[] total = {0};
        households.find(Filters.eq("status", Household.Status.ACTIVE.name()))
                .projection(new Document("townshipCode", 1).append("categories", 1).append("size", 1)).forEach(d -> {
                    if (!Areas.within(d.getString("townshipCode"), county, township)) {
                        return;
                    }
                    total[0]++;
                    d.get("categories", new Document()).forEach((code, since) -> {
                        inCare.merge(code, 1, Integer::sum);
                        LocalDate s = LocalDate.parse(String.valueOf(since));
                        if (!s.isBefore(from) && !s.isAfter(to)) {
                            enrolled.merge(code, 1, Integer::sum);
                            persons.merge(code, d.getInteger("size", 1), Integer::sum);
                        }
                    });
                });
        return new Figures(from, to, byCategory, inCare, enrolled, persons, total[0]);
    }

    /** Township code → category → visits of the period, and township code → category → households in care. */
    public record ByTownship(Map<String, Map<String, Visits>> visits, Map<String, Map<String, Integer>> inCare) {
    }

    /** Every township's visits of the period and households in care, in one read of each (for {@link RegistrySnapshot}). */
    public ByTownship byTownship(LocalDate from, LocalDate to, LocalDate today) {
        Map<String, Map<String, Visits>> visitsByTownship = new TreeMap<>();
        LocalDate end = to.isBefore(today) ? to : today;
        visits.find(Filters.and(Filters.gte("due", from.toString()), Filters.lte("due", to.toString()),
                        Filters.ne("status", Visit.Status.CANCELLED.name())))
                .projection(new Document("due", 1).append("doneOn", 1).append("category", 1).append("stationCode", 1)).batchSize(1000)
                .forEach(d -> visitsByTownship.computeIfAbsent(String.valueOf(d.getString("stationCode")), k -> new TreeMap<>())
                        .merge(d.getString("category"), visit(d, end), Visits::plus));
        Map<String, Map<String, Integer>> inCare = new TreeMap<>();
        households.find(Filters.eq("status", Household.Status.ACTIVE.name()))
                .projection(new Document("townshipCode", 1).append("categories", 1)).batchSize(1000).forEach(d -> {
                    Map<String, Integer> here = inCare.computeIfAbsent(String.valueOf(d.getString("townshipCode")), k -> new TreeMap<>());
                    d.get("categories", new Document()).keySet().forEach(code -> here.merge(code, 1, Integer::sum));
                });
        return new ByTownship(visitsByTownship, inCare);
    }

    private Visits visit(Document d, LocalDate end) {
        return switch (VisitSearch.state(LocalDate.parse(d.getString("due")),
                Optional.ofNullable(d.getString("doneOn")).map(LocalDate::parse), end, graceDays)) {
            case ON_TIME -> new Visits(1, 1, 0, 0, 0);
            case LATE -> new Visits(1, 0, 1, 0, 0);
            case MISSED -> new Visits(1, 0, 0, 1, 0);
            case OPEN -> new Visits(1, 0, 0, 0, 1);
        };
    }

}
