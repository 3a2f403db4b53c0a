package cn.shegong.core.casework;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

import cn.shegong.core.storage.FieldCipher;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

/**
 * Cases in MongoDB. Numbers ({@code BS20261129-0007}) come from a per-day counter incremented
 * atomically; sensitive fields are encrypted with {@link FieldCipher}, the phone also gets a blind
 * index for search; every change is one single-document update.
 */
public final class CaseStore {

    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    private final MongoCollection<Document> cases;
    private static final List<String> OPEN = Case.Status.open().stream().map(Enum::name).toList();

    private final MongoCollection<Document> counters;
    private final ResidentCases byResident;
    private final FieldCipher cipher;
    private final CaseDocuments docs;
    private final WorkerCases workers;
    private final CaseSearch search;
    private final CaseAssignment assignment;

    public CaseStore(MongoDatabase db, FieldCipher cipher, Areas areas) {
        this.cases = db.getCollection("cases");
        this.byResident = new ResidentCases(db, cases);
        this.counters = db.getCollection("counters");
        this.cipher = cipher;
        this.docs = new CaseDocuments(cipher, areas);
        this.workers = new WorkerCases(cases, docs);
        this.search = new CaseSearch(cases, docs, cipher);
        this.assignment = new CaseAssignment(cases, docs);
    }

    public void ensureIndexes() {
        byResident.backfill();
        cases.createIndex(Indexes.ascending("number"), new IndexOptions().name("number").unique(true));
        // Versioned changes find the case by {_id, version}: on the embedded store only a unique index of that shape is used.
        cases.createIndex(Indexes.compoundIndex(Indexes.ascending("_id"), Indexes.ascending("version")),
                new IndexOptions().name("id_version").unique(true));
        cases.createIndex(Indexes.compoundIndex(Indexes.ascending("openid"), Indexes.descending("createdAt")),
                new IndexOptions().name("openid_createdAt"));
        cases.createIndex(Indexes.ascending("phoneIndex"), new IndexOptions().name("phoneIndex").sparse(true));
        cases.createIndex(Indexes.compoundIndex(Indexes.descending("urgent"), Indexes.ascending("status"),
                Indexes.descending("createdAt")), new IndexOptions().name("inbox"));
    }

    /** What the intake knows when it opens a case. */
    public record NewCase(String openid, Category category, boolean urgent, Optional<Areas.Township> township,
                          Optional<String> name, Optional<String> phone, String description, boolean contactRequested) {
    }

    /**
     * Opens a case with the day's next number. The unique index on the number is the guarantee:
     * should two openings ever get the same number (the embedded store's upsert is not atomic on
     * the day's first case), the loser takes the next one.
     */
    public Case create(NewCase c, Instant now) {
        return create(newId(), c, now);
    }

    /** A fresh case id, so a dialogue can decide about a case before the applier opens it. */
    public static String newId() {
        return new ObjectId().toHexString();
    }

    /** Opens a case under an id from {@link #newId()}. */
    public Case create(String id, NewCase c, Instant now) {
        for (int attempt = 1; ; attempt++) {
            try {
                return insert(new ObjectId(id), c, now);
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private Case insert(ObjectId id, NewCase c, Instant now) {
        String day = DAY.format(now.atZone(CHINA));
        Document counter = counters.findOneAndUpdate(Filters.eq("_id", "case:" + day), Updates.inc("seq", 1),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        String number = String.format("BS%s-%04d", day, counter.getInteger("seq"));
        Document d = new Document("_id", id).append("number", number).append("openid", c.openid())
                .append("category", c.category().code()).append("urgent", c.urgent())
                .append("status", Case.Status.NEW.name()).append("description", cipher.encrypt(c.description()))
                .append("contactRequested", c.contactRequested())
                .append("createdAt", Date.from(now)).append("updatedAt", Date.from(now)).append("version", 0)
                .append("timeline", List.of(event(now, "created", c.urgent() ? "urgent" : "")));
        c.township().ifPresent(t -> d.append("townshipCode", t.code()).append("countyCode", t.countyCode()));
        c.name().ifPresent(n -> d.append("name", cipher.encrypt(n)));
        c.phone().ifPresent(p -> d.append("phone", cipher.encrypt(p)).append("phoneIndex", cipher.blindIndex(p)));
        cases.insertOne(d);
        byResident.add(c.openid(), d.getObjectId("_id"));
        return toCase(d);
    }

    public Optional<Case> find(String id) {
        return ObjectId.isValid(id) ? Optional.ofNullable(cases.find(Filters.eq("_id", new ObjectId(id))).first()).map(this::toCase)
                : Optional.empty();
    }

    public Optional<Case> findByNumber(String number) {
        return Optional.ofNullable(cases.find(Filters.eq("number", number)).first()).map(this::toCase);
    }

    /** A resident's cases, newest first. */
    public List<Case> forResident(String openid) {
        return forResident(openid, 0);
    }

    /** A resident's newest {@code limit} cases (0: all), newest first. */
    public List<Case> forResident(String openid, int limit) {
        return residentCases(openid).limit(limit > 0 ? limit : Long.MAX_VALUE).map(this::toCase).toList();
    }

    /** The resident's newest case still open (status checked here: with it in the filter, a scan on the embedded store). */
    public Optional<Case> latestOpen(String openid) {
        return residentCases(openid).filter(d -> OPEN.contains(d.getString("status"))).findFirst().map(this::toCase);
    }

    /** The resident's few cases, newest first, each read by {@code _id} only as far as the caller looks. */
    private Stream<Document> residentCases(String openid) {
        return byResident.newestFirst(openid).stream().map(id -> cases.find(Filters.eq("_id", id)).first()).filter(Objects::nonNull);
    }

    /** Fills in what the intake learned after the case was opened (an urgent case opens first, asks later). */
    public void complete(String id, Optional<Areas.Township> township, Optional<String> name, Optional<String> phone,
                         String description, Instant now) {
        List<Bson> sets = new ArrayList<>(List.of(Updates.set("description", cipher.encrypt(description)),
                Updates.set("updatedAt", Date.from(now))));
        township.ifPresent(t -> sets.addAll(List.of(Updates.set("townshipCode", t.code()), Updates.set("countyCode", t.countyCode()))));
        name.ifPresent(n -> sets.add(Updates.set("name", cipher.encrypt(n))));
        phone.ifPresent(p -> sets.addAll(List.of(Updates.set("phone", cipher.encrypt(p)), Updates.set("phoneIndex", cipher.blindIndex(p)))));
        sets.add(Updates.push("timeline", event(now, "details", "")));
        cases.updateOne(byId(id), Updates.combine(sets));
    }

    /**
     * Changes the status if nobody changed the case since {@code version}; false when someone did
     * (optimistic locking: the caller reloads and tells the person).
     */
    public boolean changeStatus(String id, int version, Case.Status status, String kind, String note, Instant now) {
        return cases.updateOne(CaseDocuments.atVersion(id, version),
                Updates.combine(Updates.set("status", status.name()), Updates.set("updatedAt", Date.from(now)),
                        Updates.inc("version", 1), Updates.push("timeline", event(now, kind, note)))).getModifiedCount() == 1;
    }

    /** Appends to the timeline without touching the version (an attachment never conflicts with an edit). */
    public void addEvent(String id, String kind, String note, Instant now) {
        cases.updateOne(byId(id), Updates.combine(Updates.push("timeline", event(now, kind, note)), Updates.set("updatedAt", Date.from(now))));
    }

    /** The resident wrote about a danger on an open case: it becomes urgent (never the other way here). */
    public void escalate(String id, Instant now) {
        cases.updateOne(byId(id), Updates.combine(Updates.set("urgent", true), Updates.inc("version", 1),
                Updates.push("timeline", event(now, "resident_urgent", "")), Updates.set("updatedAt", Date.from(now))));
    }

    public void requestContact(String id, Instant now) {
        cases.updateOne(byId(id), Updates.combine(Updates.set("contactRequested", true), Updates.push("timeline", event(now, "contact_requested", ""))));
    }

    public void rate(String id, int rating, Instant now) {
        cases.updateOne(byId(id), Updates.combine(Updates.set("rating", rating), Updates.push("timeline", event(now, "rated", Integer.toString(rating)))));
    }

    public void comment(String id, String comment, Instant now) {
        cases.updateOne(byId(id), Updates.combine(Updates.set("ratingComment", cipher.encrypt(comment)),
                Updates.push("timeline", event(now, "commented", ""))));
    }

    /** What closing the request achieved (codes of templates/outcomes.yaml, an amount where one applies), for the figures. */
    public void recordOutcomes(String id, List<Outcome> outcomes) {
        cases.updateOne(byId(id), Updates.set("outcomes", outcomes.stream().map(o -> {
            Document d = new Document("code", o.code());
            o.amount().ifPresent(a -> d.append("amount", a));
            return d;
        }).toList()));
    }

    public record Outcome(String code, Optional<Long> amount) {
    }

    /** An internal note by staff; encrypted, since notes are often about health and family. */
    public void addNote(String id, String author, String text, Instant now) {
        cases.updateOne(byId(id), Updates.combine(Updates.push("notes", new Document("at", Date.from(now))
                .append("author", author).append("text", cipher.encrypt(text))), Updates.push("timeline", event(now, "note", author))));
    }

    public record Note(Instant at, String author, String text) {
    }

    public List<Note> notes(String id) {
        Document d = cases.find(byId(id)).first();
        List<Note> out = new ArrayList<>();
        if (d != null) {
            for (Document n : d.getList("notes", Document.class, List.of())) {
                out.add(new Note(n.getDate("at").toInstant(), n.getString("author"), cipher.decrypt(n.getString("text"))));
            }
        }
        return out;
    }

    /** Corrects category and urgency, with the reason on the timeline; optimistic like every staff edit. */
    public boolean reclassify(String id, int version, Category category, boolean urgent, String reason, Instant now) {
        return cases.updateOne(CaseDocuments.atVersion(id, version), Updates.combine(
                Updates.set("category", category.code()), Updates.set("urgent", urgent), Updates.inc("version", 1),
                Updates.set("updatedAt", Date.from(now)), Updates.push("timeline", event(now, "reclassified", reason))))
                .getModifiedCount() == 1;
    }

    /** Cases whose category or urgency staff corrected: the triage's mistakes, newest first. */
    public List<Case> reclassified() {
        List<Case> out = new ArrayList<>();
        cases.find(Filters.eq("timeline.kind", "reclassified")).sort(Sorts.descending("updatedAt")).batchSize(1000)
                .forEach(d -> out.add(toCase(d)));
        return out;
    }

    public long count() {
        return cases.estimatedDocumentCount();
    }

    private static Bson byId(String id) {
        return CaseDocuments.byId(id);
    }

    private static Document event(Instant at, String kind, String note) {
        return CaseDocuments.event(at, kind, note);
    }

    private Case toCase(Document d) {
        return docs.toCase(d);
    }

    /** What a worker does to cases from WeChat: take one, send it back, record contact, list theirs. */
    public WorkerCases forWorkers() {
        return workers;
    }

    /** Where a request goes: assigned by staff or by the routing rules, its place set. */
    public CaseAssignment assignment() {
        return assignment;
    }

    /** The inbox's searches and exports. */
    public CaseSearch searching() {
        return search;
    }
}
