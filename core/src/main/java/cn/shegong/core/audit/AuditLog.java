package cn.shegong.core.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Who did what to which record, when and from where: every change, every login, and every view of
 * a sensitive case. Insert-only: nothing in the code updates or deletes an entry.
 */
public final class AuditLog {

    public record Entry(Instant at, String who, String action, String record, String from) {
    }

    private final MongoCollection<Document> audit;

    public AuditLog(MongoDatabase db) {
        this.audit = db.getCollection("audit");
    }

    public void ensureIndexes() {
        audit.createIndex(Indexes.descending("at"));
        for (String field : List.of("who", "action", "record")) { // the auditor's filters
            audit.createIndex(Indexes.compoundIndex(Indexes.ascending(field), Indexes.descending("at")));
        }
    }

    public void record(Instant at, String who, String action, String record, String from) {
        audit.insertOne(new Document("at", Date.from(at)).append("who", who).append("action", action)
                .append("record", record).append("from", from));
    }

    /** What the auditor filters by: a user, an action, a record (case number, household…), a time range. */
    public record Query(Optional<String> who, Optional<String> action, Optional<String> record, Optional<Instant> from,
                        Optional<Instant> to) {
        public static final Query ALL = new Query(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

        Bson filter() {
            List<Bson> all = new ArrayList<>();
            who.ifPresent(w -> all.add(Filters.eq("who", w)));
            action.ifPresent(a -> all.add(Filters.eq("action", a)));
            record.ifPresent(r -> all.add(Filters.eq("record", r)));
            from.ifPresent(f -> all.add(Filters.gte("at", Date.from(f))));
            to.ifPresent(t -> all.add(Filters.lt("at", Date.from(t))));
            return all.isEmpty() ? Filters.empty() : Filters.and(all);
        }
    }

    public record Page(List<Entry> items, long total) {
    }

    public List<Entry> latest(int limit) {
        return page(Query.ALL, 0, limit).items();
    }

    /** Newest first, a page at a time. */
    public Page page(Query q, int page, int size) {
        List<Entry> out = new ArrayList<>();
        audit.find(q.filter()).sort(Sorts.descending("at", "_id")).skip(page * size).limit(size).forEach(d -> out.add(entry(d)));
        return new Page(out, audit.countDocuments(q.filter()));
    }

    /** Every matching entry, newest first, streamed (an export). */
    public void each(Query q, Consumer<Entry> each) {
        audit.find(q.filter()).sort(Sorts.descending("at", "_id")).batchSize(1000).forEach(d -> each.accept(entry(d)));
    }

    private static Entry entry(Document d) {
        return new Entry(d.getDate("at").toInstant(), d.getString("who"), d.getString("action"), d.getString("record"), d.getString("from"));
    }
}
