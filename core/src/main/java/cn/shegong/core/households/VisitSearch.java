package cn.shegong.core.households;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import cn.shegong.core.casework.Areas;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import org.bson.Document;

/**
 * The visits behind a compliance figure: the visits due in a period, in an area and category, in
 * one state — done on time, done late, missed, or still open — classified exactly as
 * {@link RegistryFigures} counts them (a visit is late or missed once its grace days have passed),
 * so a number on the dashboard or the report and the list it opens always agree. Most overdue first.
 */
public final class VisitSearch {

    public enum State { ON_TIME, LATE, MISSED, OPEN }

    public record Query(LocalDate from, LocalDate to, Optional<String> county, Optional<String> township, Optional<String> category,
                        Optional<State> state, int page, int size) {
    }

    public record Row(Visit visit, State state) {
    }

    public record Page(List<Row> items, long total) {
    }

    private final MongoCollection<Document> visits;
    private final VisitStore store;
    private final int graceDays;

    public VisitSearch(MongoDatabase db, VisitStore store, VisitPolicy policy) {
        this.visits = db.getCollection("visits");
        this.store = store;
        this.graceDays = policy.overdueDays();
    }

    /** How a visit due on {@code due} stands at {@code end} (the period's end, or today if sooner). */
    static State state(LocalDate due, Optional<LocalDate> doneOn, LocalDate end, int graceDays) {
        LocalDate graceEnd = due.plusDays(graceDays);
        if (doneOn.isPresent()) {
            return doneOn.get().isAfter(graceEnd) ? State.LATE : State.ON_TIME;
        }
        return graceEnd.isBefore(end) ? State.MISSED : State.OPEN;
    }

    public Page search(Query q, LocalDate today) {
        List<Row> all = rows(q, today);
        int from = Math.min(all.size(), q.page() * q.size());
        return new Page(List.copyOf(all.subList(from, Math.min(all.size(), from + q.size()))), all.size());
    }

    public void each(Query q, LocalDate today, Consumer<Row> each) {
        rows(q, today).forEach(each);
    }

    private List<Row> rows(Query q, LocalDate today) {
        LocalDate end = q.to().isBefore(today) ? q.to() : today;
        var filter = Filters.and(Filters.gte("due", q.from().toString()), Filters.lte("due", q.to().toString()),
                Filters.ne("status", Visit.Status.CANCELLED.name()));
        List<Row> out = new ArrayList<>();
        visits.find(q.category().map(c -> Filters.and(filter, Filters.eq("category", c))).orElse(filter))
                .projection(Projections.exclude("note")).batchSize(1000).forEach(d -> { // the list never shows a note: none is opened
            if (!Areas.within(d.getString("stationCode"), q.county(), q.township())) {
                return;
            }
            Visit v = store.visitOf(d);
            State s = state(v.due(), v.doneOn(), end, graceDays);
            if (q.state().map(s::equals).orElse(true)) {
                out.add(new Row(v, s));
            }
        });
        out.sort(Comparator.comparing((Row r) -> r.visit().due()).thenComparing(r -> r.visit().code()));
        return out;
    }
}
