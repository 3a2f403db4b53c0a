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
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * The outbox collection. An item is claimed by one instance at a time with a single atomic
 * findOneAndUpdate and a lease, so any number of replicas can run the sender and none sends an
 * item twice; a claim whose instance died is taken over when its lease runs out.
 */
public final class OutboxStore {

    private final MongoCollection<Document> outbox;
    /** Delivery reports that arrived before we had recorded the template message they report on. */
    private final MongoCollection<Document> earlyReports;

    private final FieldCipher cipher;

    /** Texts and notice values are encrypted: a reply or a preview can repeat what someone wrote. */
    public OutboxStore(MongoDatabase db, FieldCipher cipher) {
        this.cipher = cipher;
        this.outbox = db.getCollection("outbox");
        this.earlyReports = db.getCollection("template_reports");
    }

    public void ensureIndexes() {
        outbox.createIndex(Indexes.compoundIndex(Indexes.ascending("status"), Indexes.ascending("nextAttemptAt")),
                new IndexOptions().name("status_nextAttemptAt"));
        outbox.createIndex(Indexes.ascending("templateMsgId"), new IndexOptions().name("templateMsgId").sparse(true));
        outbox.createIndex(Indexes.ascending("openid"), new IndexOptions().name("openid"));
    }

    public String enqueue(String openid, Optional<String> text, Optional<OutboxItem.Notice> notice, Instant now) {
        return enqueue(openid, text, notice, now, now);
    }

    /** Queues an item that is not to be sent before {@code due}. */
    public String enqueue(String openid, Optional<String> text, Optional<OutboxItem.Notice> notice, Instant now, Instant due) {
        ObjectId id = new ObjectId();
        Document d = new Document("_id", id).append("openid", openid)
                .append("status", OutboxItem.Status.PENDING.name()).append("attempts", 0)
                .append("nextAttemptAt", Date.from(due)).append("createdAt", Date.from(now));
        text.ifPresent(t -> d.append("text", cipher.encrypt(t)));
        notice.ifPresent(n -> d.append("notice", new Document("kind", n.kind()).append("values", sealed(n.values()))));
        outbox.insertOne(d);
        return id.toHexString();
    }

    /** Queues a tappable menu, not to be sent before {@code due} (it follows a passive reply). */
    public String enqueueMenu(String openid, OutboxItem.Menu menu, Instant now, Instant due) {
        ObjectId id = new ObjectId();
        outbox.insertOne(new Document("_id", id).append("openid", openid).append("status", OutboxItem.Status.PENDING.name())
                .append("attempts", 0).append("nextAttemptAt", Date.from(due)).append("createdAt", Date.from(now))
                .append("menu", new Document("head", menu.head()).append("tail", menu.tail()).append("options",
                        menu.options().stream().map(o -> new Document("id", o.id()).append("label", o.label())).toList())));
        return id.toHexString();
    }

    /** Claims the most overdue item, counting the attempt; empty when nothing is due. */
    public Optional<OutboxItem> claimDue(Instant now, Duration lease) {
        Document claimed = outbox.findOneAndUpdate(
                Filters.or(
                        Filters.and(Filters.eq("status", OutboxItem.Status.PENDING.name()), Filters.lte("nextAttemptAt", Date.from(now))),
                        Filters.and(Filters.eq("status", OutboxItem.Status.SENDING.name()), Filters.lte("leaseUntil", Date.from(now)))),
                Updates.combine(Updates.set("status", OutboxItem.Status.SENDING.name()),
                        Updates.set("leaseUntil", Date.from(now.plus(lease))), Updates.inc("attempts", 1)),
                new FindOneAndUpdateOptions().sort(Sorts.ascending("nextAttemptAt")).returnDocument(ReturnDocument.AFTER));
        return Optional.ofNullable(claimed).map(this::item);
    }

    public void sent(String id, String sentAs, Optional<Long> templateMsgId, Instant now) {
        var update = Updates.combine(Updates.set("status", OutboxItem.Status.SENT.name()), Updates.set("sentAs", sentAs),
                Updates.set("sentAt", Date.from(now)), Updates.unset("leaseUntil"));
        outbox.updateOne(byId(id), templateMsgId.map(m -> Updates.combine(update, Updates.set("templateMsgId", m))).orElse(update));
        templateMsgId.ifPresent(msgId -> {
            Document early = earlyReports.findOneAndDelete(Filters.eq("_id", msgId));
            if (early != null) {
                outbox.updateOne(byId(id), Updates.set("delivery", early.getString("status")));
            }
        });
    }

    /** Back to pending for another attempt at {@code next}. */
    public void retry(String id, Instant next, String error) {
        outbox.updateOne(byId(id), Updates.combine(Updates.set("status", OutboxItem.Status.PENDING.name()),
                Updates.set("nextAttemptAt", Date.from(next)), Updates.set("lastError", error), Updates.unset("leaseUntil")));
    }

    /** Back to pending without counting the attempt (we held it back ourselves, e.g. the send rate). */
    public void defer(String id, Instant next) {
        outbox.updateOne(byId(id), Updates.combine(Updates.set("status", OutboxItem.Status.PENDING.name()),
                Updates.set("nextAttemptAt", Date.from(next)), Updates.inc("attempts", -1), Updates.unset("leaseUntil")));
    }

    public void finish(String id, OutboxItem.Status status, String error) {
        outbox.updateOne(byId(id), Updates.combine(Updates.set("status", status.name()), Updates.set("lastError", error),
                Updates.unset("leaseUntil")));
    }

    /**
     * WeChat's TEMPLATESENDJOBFINISH report for a template message we sent. It may arrive before the
     * sender has recorded the msgid; then it is kept aside and applied by {@link #sent}.
     */
    public void recordDelivery(long templateMsgId, String status) {
        if (outbox.updateOne(Filters.eq("templateMsgId", templateMsgId), Updates.set("delivery", status)).getMatchedCount() == 0) {
            earlyReports.replaceOne(Filters.eq("_id", templateMsgId), new Document("_id", templateMsgId).append("status", status),
                    new com.mongodb.client.model.ReplaceOptions().upsert(true));
            Document item = outbox.find(Filters.eq("templateMsgId", templateMsgId)).first();
            if (item != null && earlyReports.deleteOne(Filters.eq("_id", templateMsgId)).getDeletedCount() == 1) {
                outbox.updateOne(Filters.eq("_id", item.getObjectId("_id")), Updates.set("delivery", status));
            }
        }
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
        return Optional.ofNullable(outbox.find(byId(id)).first()).map(this::item);
    }

    public List<OutboxItem> forOpenid(String openid) {
        List<OutboxItem> items = new ArrayList<>();
        outbox.find(Filters.eq("openid", openid)).sort(Sorts.ascending("createdAt", "_id")).forEach(d -> items.add(item(d)));
        return items;
    }

    private static org.bson.conversions.Bson byId(String id) {
        return Filters.eq("_id", new ObjectId(id));
    }

    /** Texts written before they were encrypted are read as they are. */
    private String readText(String stored) {
        try {
            return cipher.decrypt(stored);
        } catch (IllegalArgumentException clearText) {
            return stored;
        }
    }

    /** A notice's values (names, previews of what someone wrote) as one encrypted string. */
    private String sealed(Map<String, String> values) {
        return cipher.encrypt(new Document(values).toJson());
    }

    private OutboxItem item(Document d) {
        Document notice = d.get("notice", Document.class);
        Optional<OutboxItem.Notice> n = Optional.ofNullable(notice).map(x -> {
            Map<String, String> values = new LinkedHashMap<>();
            Object stored = x.get("values");
            Document v = stored instanceof Document clear ? clear : Document.parse(cipher.decrypt((String) stored)); // clear: before encryption
            v.forEach((k, val) -> values.put(k, String.valueOf(val)));
            return new OutboxItem.Notice(x.getString("kind"), values);
        });
        return new OutboxItem(d.getObjectId("_id").toHexString(), d.getString("openid"),
                Optional.ofNullable(d.getString("text")).map(this::readText), n,
                OutboxItem.Status.valueOf(d.getString("status")), d.getInteger("attempts", 0),
                d.getDate("nextAttemptAt").toInstant(), Optional.ofNullable(d.getString("lastError")),
                d.getDate("createdAt").toInstant(), Optional.ofNullable(d.getDate("sentAt")).map(Date::toInstant),
                Optional.ofNullable(d.getString("sentAs")), Optional.ofNullable(d.getLong("templateMsgId")),
                Optional.ofNullable(d.getString("delivery")), Optional.ofNullable(d.get("menu", Document.class)).map(m -> new OutboxItem.Menu(
                        m.getString("head"), m.getList("options", Document.class).stream()
                        .map(o -> new OutboxItem.Option(o.getString("id"), o.getString("label"))).toList(), m.getString("tail"))));
    }
}
