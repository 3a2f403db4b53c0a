package cn.shegong.core.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.core.storage.FieldCipher;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * The outbox. An item is claimed by one instance at a time — an atomic findOneAndUpdate on its
 * id, version and status — with a lease, so any number of replicas can run the sender and none
 * sends an item twice; a claim whose instance died is taken over when its lease runs out.
 * <p>
 * Only items still to send live in {@code outbox}; a finished one (sent, failed, unreachable)
 * moves to {@code outbox_done}: marked final where it is, copied, then removed. Finding the next
 * due item is then a look at what is waiting, not at every message ever sent — on the embedded
 * store each look is a scan (shared/deps.md, trap 13), so the sender keeps what one look found
 * for the claims of the next seconds ({@link #due}, {@link #claim}).
 */
public final class OutboxStore {

    private static final String VERSION = OutboxDocuments.VERSION;
    private static final List<String> LIVE = List.of(OutboxItem.Status.PENDING.name(), OutboxItem.Status.SENDING.name());

    private final MongoCollection<Document> outbox;
    private final MongoCollection<Document> done;
    /** Delivery reports that arrived before we had recorded the template message they report on. */
    private final MongoCollection<Document> earlyReports;

    private final OutboxDocuments documents;

    /** Texts and notice values are encrypted: a reply or a preview can repeat what someone wrote. */
    public OutboxStore(MongoDatabase db, FieldCipher cipher) {
        this.documents = new OutboxDocuments(cipher);
        this.outbox = db.getCollection("outbox");
        this.done = db.getCollection("outbox_done");
        this.earlyReports = db.getCollection("template_reports");
    }

    public void ensureIndexes() {
        outbox.createIndex(Indexes.compoundIndex(Indexes.ascending("status"), Indexes.ascending("nextAttemptAt")),
                new IndexOptions().name("status_nextAttemptAt"));
        outbox.createIndex(Indexes.ascending("openid"), new IndexOptions().name("openid"));
        outbox.createIndex(Indexes.compoundIndex(Indexes.ascending("_id"), Indexes.ascending(VERSION), Indexes.ascending("status")),
                new IndexOptions().name("id_version_status").unique(true));
        // unique: WeChat numbers each template message once, and a unique index is one the embedded store finds by key
        done.createIndex(Indexes.ascending("templateMsgId"), new IndexOptions().name("templateMsgId_unique").unique(true).sparse(true));
        done.createIndex(Indexes.ascending("openid"), new IndexOptions().name("openid"));
    }

    public String enqueue(String openid, Optional<String> text, Optional<OutboxItem.Notice> notice, Instant now) {
        return enqueue(openid, text, notice, now, now);
    }

    /** Queues an item that is not to be sent before {@code due}. */
    public String enqueue(String openid, Optional<String> text, Optional<OutboxItem.Notice> notice, Instant now, Instant due) {
        ObjectId id = new ObjectId();
        outbox.insertOne(documents.message(id, openid, text, notice, now, due));
        return id.toHexString();
    }

    /** Queues a tappable menu, not to be sent before {@code due} (it follows a passive reply). */
    public String enqueueMenu(String openid, OutboxItem.Menu menu, Instant now, Instant due) {
        ObjectId id = new ObjectId();
        outbox.insertOne(documents.menu(id, openid, menu, now, due));
        return id.toHexString();
    }

    /**
     * Removes the menus still waiting that were queued before {@code cutoff}, in one command; how
     * many. Nobody follows a dropped menu up (the typed answer still works), so none is archived:
     * under a backlog past the send rate, four writes each to drop them was most of the outbox's cost.
     */
    public long dropMenusQueuedBefore(Instant cutoff) {
        return outbox.deleteMany(Filters.and(Filters.eq("status", OutboxItem.Status.PENDING.name()), Filters.exists("menu"),
                Filters.lt("createdAt", Date.from(cutoff)))).getDeletedCount();
    }

    /** Removes one claimed menu that went stale meanwhile; not archived, as {@link #dropMenusQueuedBefore}. */
    public void dropMenu(String id) {
        outbox.deleteOne(byId(id));
    }

    /**
     * An item found due, as it was seen: its id, version and status. The status too, so that a
     * replica of the previous version, which claims without moving the version, is not overtaken;
     * an item queued before versions existed has no version, and is matched by its missing one.
     */
    public record Due(ObjectId id, Integer version, String status) {
    }

    /**
     * Up to {@code max} items due at {@code now}, most overdue first: waiting ones, and ones whose
     * sender's lease ran out. One look at every waiting item on the embedded store (an index on
     * MongoDB), so the sender keeps what it found for its next claims ({@code Outbox}).
     */
    public List<Due> due(Instant now, int max) {
        List<Due> due = new ArrayList<>(max);
        outbox.find(Filters.or(
                        Filters.and(Filters.eq("status", OutboxItem.Status.PENDING.name()), Filters.lte("nextAttemptAt", Date.from(now))),
                        Filters.and(Filters.eq("status", OutboxItem.Status.SENDING.name()), Filters.lte("leaseUntil", Date.from(now)))))
                .sort(Sorts.ascending("nextAttemptAt", "_id")).limit(max).projection(Projections.include("_id", VERSION, "status"))
                .forEach(d -> due.add(new Due(d.getObjectId("_id"), d.getInteger(VERSION), d.getString("status"))));
        return due;
    }

    /**
     * Claims the item if it is still as it was seen and still due, counting the attempt; empty if
     * it moved on (another replica claimed it, it was sent or dropped, or a replica of the previous
     * version, which claims without moving the version, took it over). By {@code _id} with the
     * rest: one document read, on MongoDB and the embedded store alike ({@code IndexedCollection}).
     */
    public Optional<OutboxItem> claim(Due seen, Instant now, Duration lease) {
        String dueField = OutboxItem.Status.SENDING.name().equals(seen.status()) ? "leaseUntil" : "nextAttemptAt";
        Document asSeen = new Document("_id", seen.id()).append(VERSION, seen.version()).append("status", seen.status())
                .append(dueField, new Document("$lte", Date.from(now)));
        Document after = outbox.findOneAndUpdate(asSeen,
                Updates.combine(Updates.set("status", OutboxItem.Status.SENDING.name()),
                        Updates.set("leaseUntil", Date.from(now.plus(lease))), Updates.inc("attempts", 1), Updates.inc(VERSION, 1)),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        return Optional.ofNullable(after).map(documents::item);
    }

    public void sent(String id, String sentAs, Optional<Long> templateMsgId, Instant now) {
        var update = Updates.combine(Updates.set("status", OutboxItem.Status.SENT.name()), Updates.set("sentAs", sentAs),
                Updates.set("sentAt", Date.from(now)), Updates.unset("leaseUntil"), Updates.inc(VERSION, 1));
        finished(id, templateMsgId.map(m -> Updates.combine(update, Updates.set("templateMsgId", m))).orElse(update));
        templateMsgId.ifPresent(msgId -> {
            Document early = earlyReports.findOneAndDelete(Filters.eq("_id", msgId));
            if (early != null) {
                done.updateOne(byId(id), Updates.set("delivery", early.getString("status")));
            }
        });
    }

    /** Back to pending for another attempt at {@code next}. */
    public void retry(String id, Instant next, String error) {
        outbox.updateOne(byId(id), Updates.combine(Updates.set("status", OutboxItem.Status.PENDING.name()),
                Updates.set("nextAttemptAt", Date.from(next)), Updates.set("lastError", error), Updates.unset("leaseUntil"),
                Updates.inc(VERSION, 1)));
    }

    /** Back to pending without counting the attempt (we held it back ourselves, e.g. the send rate). */
    public void defer(String id, Instant next) {
        outbox.updateOne(byId(id), Updates.combine(Updates.set("status", OutboxItem.Status.PENDING.name()),
                Updates.set("nextAttemptAt", Date.from(next)), Updates.inc("attempts", -1), Updates.unset("leaseUntil"),
                Updates.inc(VERSION, 1)));
    }

    public void finish(String id, OutboxItem.Status status, String error) {
        finished(id, Updates.combine(Updates.set("status", status.name()), Updates.set("lastError", error),
                Updates.unset("leaseUntil"), Updates.inc(VERSION, 1)));
    }

    /** Marks the item final where it waited (no sender claims it again), then moves it to {@code outbox_done}. */
    private void finished(String id, org.bson.conversions.Bson update) {
        Document after = outbox.findOneAndUpdate(byId(id), update, new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        if (after != null) {
            archive(after);
        }
    }

    /**
     * Copies a finished item to {@code outbox_done} and removes it from the waiting ones. Safe to
     * repeat after a crash between the steps: a copy already there is kept, and a delivery report
     * that reached the waiting copy meanwhile is carried over.
     */
    private void archive(Document item) {
        try {
            done.insertOne(item);
        } catch (com.mongodb.MongoWriteException e) {
            boolean copiedBefore = e.getError().getCategory() == com.mongodb.ErrorCategory.DUPLICATE_KEY
                    && done.find(Filters.eq("_id", item.getObjectId("_id"))).first() != null;
            if (!copiedBefore) {
                throw e; // another item with its template msgid, say: keep this one where it is
            }
        }
        Document removed = outbox.findOneAndDelete(Filters.eq("_id", item.getObjectId("_id")));
        if (removed != null && removed.getString("delivery") != null && !removed.getString("delivery").equals(item.getString("delivery"))) {
            done.updateOne(Filters.eq("_id", item.getObjectId("_id")), Updates.set("delivery", removed.getString("delivery")));
        }
    }

    /**
     * Run at start: moves items a crash left marked final among the waiting ones (returns how
     * many), and gives items queued before versions existed their first.
     */
    public int archiveFinished() {
        outbox.updateMany(Filters.exists(VERSION, false), Updates.set(VERSION, 0));
        int moved = 0;
        for (Document d : outbox.find(Filters.nin("status", LIVE)).batchSize(100)) { // after an upgrade: every item ever sent
            archive(d);
            moved++;
        }
        return moved;
    }

    /**
     * WeChat's TEMPLATESENDJOBFINISH report for a template message we sent. It may arrive before the
     * sender has recorded the msgid; then it is kept aside and applied by {@link #sent}.
     */
    public void recordDelivery(long templateMsgId, String status) {
        if (setDelivery(templateMsgId, status) == 0) {
            earlyReports.replaceOne(Filters.eq("_id", templateMsgId), new Document("_id", templateMsgId).append("status", status),
                    new com.mongodb.client.model.ReplaceOptions().upsert(true));
            boolean recordedMeanwhile = done.find(Filters.eq("templateMsgId", templateMsgId)).first() != null
                    || outbox.find(Filters.eq("templateMsgId", templateMsgId)).first() != null;
            if (recordedMeanwhile && earlyReports.deleteOne(Filters.eq("_id", templateMsgId)).getDeletedCount() == 1) {
                setDelivery(templateMsgId, status);
            }
        }
    }

    private long setDelivery(long templateMsgId, String status) {
        var filter = Filters.eq("templateMsgId", templateMsgId);
        var update = Updates.set("delivery", status);
        long matched = done.updateOne(filter, update).getMatchedCount(); // by key: a unique index
        return matched > 0 ? matched : outbox.updateOne(filter, update).getMatchedCount(); // being moved: a scan of the waiting few
    }

    /** What waits to be sent: all pending items, those already failed at least once, and when the next of those is tried. */
    public record Backlog(long pending, long retrying, Optional<Instant> nextRetry) {
    }

    public Backlog backlog() {
        var pending = Filters.eq("status", OutboxItem.Status.PENDING.name());
        var retrying = Filters.and(pending, Filters.exists("lastError"));
        Document next = outbox.find(retrying).sort(Sorts.ascending("nextAttemptAt")).first();
        return new Backlog(outbox.countDocuments(pending), outbox.countDocuments(retrying),
                Optional.ofNullable(next).map(d -> d.getDate("nextAttemptAt").toInstant()));
    }

    public Optional<OutboxItem> find(String id) {
        Document d = outbox.find(byId(id)).first();
        return Optional.ofNullable(d != null ? d : done.find(byId(id)).first()).map(documents::item);
    }

    /** Everything queued for the person, waiting or finished, oldest first. */
    public List<OutboxItem> forOpenid(String openid) {
        Map<ObjectId, Document> all = new LinkedHashMap<>();
        done.find(Filters.eq("openid", openid)).forEach(d -> all.put(d.getObjectId("_id"), d));
        outbox.find(Filters.eq("openid", openid)).forEach(d -> all.putIfAbsent(d.getObjectId("_id"), d)); // a copy being moved: once
        return all.values().stream()
                .sorted(java.util.Comparator.comparing((Document d) -> d.getDate("createdAt")).thenComparing(d -> d.getObjectId("_id")))
                .map(documents::item).toList();
    }

    private static org.bson.conversions.Bson byId(String id) {
        return Filters.eq("_id", new ObjectId(id));
    }
}
