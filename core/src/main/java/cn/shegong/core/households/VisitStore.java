package cn.shegong.core.households;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import cn.shegong.core.storage.FieldCipher;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;

/**
 * Visits, shaped so the hot paths read by key on any store (the embedded one scans everything
 * else): a visit is found by its code ({@code _id}); the visits due on a day are listed in that
 * day's buckets — {@code visit_days} ({@code _id} the date) names the day's chunks, each chunk
 * ({@code visit_day_chunks}, {@code _id} date:n) lists up to a thousand codes, so an import that
 * makes fifty thousand visits due today never rewrites one huge document — and the daily sweep
 * reads a few hundred small documents and the visits in them; a worker's open visits are listed on their own document
 * ({@code worker_visits}). Reminders and escalations are claimed by inserting a claim document
 * keyed by visit and day (or level) into {@code visit_claims}, so
 * replicas sweeping at once, or a sweep run twice, act once per visit per day.
 */
public final class VisitStore {

    private final MongoCollection<Document> visits;
    private final MongoCollection<Document> days;
    private final MongoCollection<Document> chunks;
    private static final int CHUNK = 1000;
    private final MongoCollection<Document> byWorker;
    private final MongoCollection<Document> counters;
    private final MongoCollection<Document> sweeps;
    private final MongoCollection<Document> claims;
    private final FieldCipher cipher;

    public VisitStore(MongoDatabase db, FieldCipher cipher) {
        this.visits = db.getCollection("visits");
        this.days = db.getCollection("visit_days");
        this.chunks = db.getCollection("visit_day_chunks");
        this.byWorker = db.getCollection("worker_visits");
        this.counters = db.getCollection("counters");
        this.sweeps = db.getCollection("visit_sweeps");
        this.claims = db.getCollection("visit_claims");
        this.cipher = cipher;
    }

    /** Schedules a visit; returns its code. */
    public String schedule(String householdId, Optional<String> workerId, String stationCode, LocalDate due, String rule,
                           Visit.Summary summary, Instant now) {
        Document counter = counters.findOneAndUpdate(Filters.eq("_id", "visit"), Updates.inc("seq", 1),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        int seq = counter.getInteger("seq");
        String code = String.format("V%05d", seq);
        Document d = new Document("_id", code).append("householdId", householdId).append("stationCode", stationCode)
                .append("due", due.toString()).append("rule", rule).append("status", Visit.Status.DUE.name())
                .append("escalation", 0).append("createdAt", Date.from(now)).append("masked", summary.maskedName())
                .append("category", summary.category()).append("village", summary.village());
        workerId.ifPresent(w -> d.append("workerId", w));
        visits.insertOne(d);
        int chunk = seq / CHUNK;
        days.updateOne(Filters.eq("_id", due.toString()), Updates.addToSet("chunks", chunk), new UpdateOptions().upsert(true));
        chunks.updateOne(Filters.eq("_id", due + ":" + chunk), Updates.addToSet("codes", code), new UpdateOptions().upsert(true));
        workerId.ifPresent(w -> byWorker.updateOne(Filters.eq("_id", w), Updates.addToSet("codes", code), new UpdateOptions().upsert(true)));
        return code;
    }

    public Optional<Visit> find(String code) {
        return Optional.ofNullable(visits.find(Filters.eq("_id", code)).first()).map(this::visit);
    }

    /** Marks a due visit done with its note; false when it was not due any more (done by someone else first). */
    public boolean record(String code, LocalDate on, String by, String note, Instant now) {
        Document d = visits.findOneAndUpdate(Filters.and(Filters.eq("_id", code), Filters.eq("status", Visit.Status.DUE.name())),
                Updates.combine(Updates.set("status", Visit.Status.DONE.name()), Updates.set("doneOn", on.toString()),
                        Updates.set("doneBy", by), Updates.set("note", cipher.encrypt(note)), Updates.set("doneAt", Date.from(now))));
        if (d == null) {
            return false;
        }
        forget(d);
        return true;
    }

    /** The household left care or moved: its open visit is cancelled. */
    public void cancel(String code) {
        Document d = visits.findOneAndUpdate(Filters.and(Filters.eq("_id", code), Filters.eq("status", Visit.Status.DUE.name())),
                Updates.set("status", Visit.Status.CANCELLED.name()));
        if (d != null) {
            forget(d);
        }
    }

    /** Gives an open visit to another worker (its household moved). */
    public void reassign(String code, String workerId) {
        Document d = visits.findOneAndUpdate(Filters.and(Filters.eq("_id", code), Filters.eq("status", Visit.Status.DUE.name())),
                Updates.set("workerId", workerId));
        if (d != null) {
            Optional.ofNullable(d.getString("workerId")).ifPresent(w -> byWorker.updateOne(Filters.eq("_id", w), Updates.pull("codes", code)));
            byWorker.updateOne(Filters.eq("_id", workerId), Updates.addToSet("codes", code), new UpdateOptions().upsert(true));
        }
    }

    /** Due (or overdue) visits on or before {@code today}, looking back {@code days} days; each read by key. */
    public List<Visit> dueBy(LocalDate today, int lookbackDays) {
        List<Visit> out = new ArrayList<>();
        for (LocalDate day = today.minusDays(lookbackDays); !day.isAfter(today); day = day.plusDays(1)) {
            Document bucket = days.find(Filters.eq("_id", day.toString())).first();
            if (bucket == null) {
                continue;
            }
            for (Integer chunk : bucket.getList("chunks", Integer.class, List.of())) {
                Document c = chunks.find(Filters.eq("_id", day + ":" + chunk)).first();
                for (String code : c == null ? List.<String>of() : c.getList("codes", String.class, List.of())) {
                    find(code).filter(v -> v.status() == Visit.Status.DUE).ifPresent(out::add);
                }
            }
        }
        return out;
    }

    /** A worker's open visits, soonest first. */
    public List<Visit> openFor(String workerId) {
        Document d = byWorker.find(Filters.eq("_id", workerId)).first();
        List<Visit> out = new ArrayList<>();
        if (d != null) {
            d.getList("codes", String.class, List.of()).forEach(c -> find(c).filter(v -> v.status() == Visit.Status.DUE).ifPresent(out::add));
        }
        out.sort(java.util.Comparator.comparing(Visit::due));
        return out;
    }

    /** Whether a sweep finished all of {@code day}'s reminders (a later sweep that day has nothing to send). */
    public boolean sweptOn(LocalDate day) {
        return sweeps.find(Filters.eq("_id", day.toString())).first() != null;
    }

    public void markSwept(LocalDate day, Instant now) {
        sweeps.updateOne(Filters.eq("_id", day.toString()), Updates.setOnInsert("at", Date.from(now)), new UpdateOptions().upsert(true));
        // reminder claims of days long past (escalation claims, with no day, stay while their visit does)
        claims.deleteMany(Filters.and(Filters.gt("day", ""), Filters.lt("day", day.minusDays(7).toString())));
    }

    /**
     * True for the one caller that may remind about this due visit today (across replicas and
     * reruns): the claim is a document whose {@code _id} names the visit and the day, inserted once —
     * found by key on any store (a conditional update by {@code _id} plus other fields scanned every
     * visit on the embedded one).
     */
    public boolean claimReminder(String code, LocalDate today) {
        if (!claim("R:" + code + ":" + today, today)) {
            return false;
        }
        visits.updateOne(Filters.eq("_id", code), Updates.combine(Updates.set("remindedOn", today.toString()), Updates.inc("reminders", 1)));
        return true;
    }

    /** True for the one caller that raises this visit to escalation {@code level} (1 the station head, 2 the county), once. */
    public boolean claimEscalation(String code, int level) {
        Document d = visits.find(Filters.eq("_id", code)).projection(new Document("escalation", 1)).first();
        if (d == null || d.getInteger("escalation", 0) >= level || !claim("E:" + code + ":" + level, null)) {
            return false;
        }
        visits.updateOne(Filters.eq("_id", code), Updates.max("escalation", level));
        return true;
    }

    /** Inserts a claim once; false when someone (another replica, an earlier run) holds it. */
    private boolean claim(String id, LocalDate day) {
        try {
            claims.insertOne(new Document("_id", id).append("day", day == null ? "" : day.toString()));
            return true;
        } catch (com.mongodb.MongoWriteException e) {
            if (e.getError().getCategory() == com.mongodb.ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    private void forget(Document d) {
        String code = d.getString("_id");
        int seq = Integer.parseInt(code.substring(1));
        chunks.updateOne(Filters.eq("_id", d.getString("due") + ":" + seq / CHUNK), Updates.pull("codes", code));
        Optional.ofNullable(d.getString("workerId")).ifPresent(w -> byWorker.updateOne(Filters.eq("_id", w), Updates.pull("codes", code)));
    }

    /** A stored visit as a record (for {@link VisitSearch}, which reads the same collection). */
    Visit visitOf(Document d) {
        return visit(d);
    }

    private Visit visit(Document d) {
        return new Visit(d.getString("_id"), d.getString("householdId"), Optional.ofNullable(d.getString("workerId")),
                d.getString("stationCode"), LocalDate.parse(d.getString("due")), d.getString("rule"),
                Visit.Status.valueOf(d.getString("status")), Optional.ofNullable(d.getString("doneOn")).map(LocalDate::parse),
                Optional.ofNullable(d.getString("note")).map(cipher::decrypt), Optional.ofNullable(d.getString("doneBy")),
                d.getInteger("escalation", 0), new Visit.Summary(d.getString("masked"), d.getString("category"), d.getString("village")));
    }
}
