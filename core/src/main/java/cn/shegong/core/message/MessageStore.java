package cn.shegong.core.message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import cn.shegong.core.storage.FieldCipher;
import cn.shegong.core.storage.GroupCommit;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * Every message we receive or send, so that nothing a resident wrote is lost. What people wrote is
 * encrypted ({@link FieldCipher}): it is as sensitive as the case it becomes. The unique index on
 * WeChat's MsgId is the last line of defence against storing a retried message twice.
 * <p>
 * Inserts are grouped ({@link GroupCommit}): messages arriving together are written in one
 * round trip, and none of their senders is answered before it is acknowledged — an acknowledged
 * write survives a crash of the process (a real MongoDB's journaled majority; the embedded store's
 * journal), so an answer to WeChat means the message is kept.
 */
public final class MessageStore implements AutoCloseable {

    private static final int MAX_BATCH = 128;
    private static final String REPLY_TO = "replyTo";
    private static final Duration WRITE_WAIT = Duration.ofSeconds(10);
    /**
     * A push must be kept somewhere within WeChat's 5 seconds: a group MongoDB has not acknowledged
     * in this time fails, and its pushes go to the Redis backlog instead (see the webhook's Inbox).
     */
    static final Duration INSERT_TIMEOUT = Duration.ofMillis(2500);

    private final MongoCollection<Document> messages;
    private final FieldCipher cipher;
    private final GroupCommit<Document, Boolean> inserts;

    public MessageStore(MongoDatabase db, FieldCipher cipher) {
        this.messages = db.getCollection("messages");
        this.cipher = cipher;
        this.inserts = new GroupCommit<>("shegong-message-writer", 4 * MAX_BATCH, MAX_BATCH, WRITE_WAIT, this::insertAll);
    }

    public void ensureIndexes() {
        messages.createIndex(Indexes.ascending("msgId"), new IndexOptions().name("msgId").unique(true).sparse(true));
        messages.createIndex(Indexes.compoundIndex(Indexes.ascending("openid"), Indexes.ascending("storedAt")),
                new IndexOptions().name("openid_storedAt"));
        messages.createIndex(Indexes.ascending("caseId"), new IndexOptions().name("caseId").sparse(true));
        messages.createIndex(Indexes.ascending(REPLY_TO), new IndexOptions().name(REPLY_TO).sparse(true));
    }

    /** Stores the message; returns false when a message with the same WeChat MsgId is already stored. */
    public boolean insert(StoredMessage message) {
        return insert(new ObjectId(), message);
    }

    /** Stores something we sent. */
    public void insertOwn(StoredMessage message) {
        inserts.submit(toDocument(message));
    }

    /** As {@link #insert(StoredMessage)}, under an id the caller chose (to link it to a request later, see {@link #link}). */
    public boolean insert(ObjectId id, StoredMessage message) {
        return inserts.submit(toDocument(message).append("_id", id));
    }

    /** Stores a message that belongs to the request {@code caseId}'s transcript. */
    public void insertLinked(StoredMessage message, String caseId) {
        inserts.submit(toDocument(message).append("caseId", caseId));
    }

    /**
     * Stores the reply to the message WeChat numbered {@code inReplyTo} (marked so that
     * {@link #replied} finds it), under {@code id}, in {@code caseId}'s transcript if present.
     */
    public void insertReply(ObjectId id, StoredMessage reply, Optional<Long> inReplyTo, Optional<String> caseId) {
        Document d = toDocument(reply).append("_id", id);
        inReplyTo.ifPresent(m -> d.append(REPLY_TO, m));
        caseId.ifPresent(c -> d.append("caseId", c));
        inserts.submit(d);
    }

    /**
     * Whether the reply to the message WeChat numbered {@code msgId} is stored. Asked only when a
     * crashed instance's push is taken over (rare): an index on a real MongoDB, a scan on the embedded one.
     */
    public boolean replied(long msgId) {
        return messages.find(Filters.eq(REPLY_TO, msgId)).projection(new Document("_id", 1)).first() != null;
    }

    /** The id under which the message WeChat numbered {@code msgId} is stored (a unique index: found by key). */
    public Optional<ObjectId> idOf(long msgId) {
        return Optional.ofNullable(messages.find(Filters.eq("msgId", msgId)).projection(new Document("_id", 1)).first())
                .map(d -> d.getObjectId("_id"));
    }

    /** One unordered insert for the batch: a duplicate MsgId fails only its own message. */
    private List<Boolean> insertAll(List<Document> batch) {
        Boolean[] stored = new Boolean[batch.size()];
        Arrays.fill(stored, Boolean.TRUE);
        try {
            messages.withTimeout(INSERT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .insertMany(batch, new InsertManyOptions().ordered(false));
        } catch (MongoBulkWriteException e) {
            if (e.getWriteConcernError() != null) {
                throw e; // a real MongoDB's majority not reached: none of the group is known to be kept
            }
            for (BulkWriteError error : e.getWriteErrors()) {
                if (error.getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                stored[error.getIndex()] = false;
            }
        }
        return Arrays.asList(stored);
    }

    @Override
    public void close() {
        inserts.close();
    }

    /** The conversation with one resident, oldest first. */
    public List<StoredMessage> conversation(String openid) {
        List<StoredMessage> out = new ArrayList<>();
        messages.find(Filters.eq("openid", openid)).sort(Sorts.ascending("storedAt", "_id"))
                .forEach(d -> out.add(fromDocument(d)));
        return out;
    }

    /** Puts the messages with these ids into the request {@code caseId}'s transcript: one update, found by key. */
    public void link(List<ObjectId> ids, String caseId) {
        if (!ids.isEmpty()) {
            messages.updateMany(Filters.in("_id", ids), com.mongodb.client.model.Updates.set("caseId", caseId));
        }
    }

    /** Moves a merged duplicate's transcript to the request it was merged into. */
    public void relink(String fromCaseId, String toCaseId) {
        messages.updateMany(Filters.eq("caseId", fromCaseId), com.mongodb.client.model.Updates.set("caseId", toCaseId));
    }

    /** The messages linked to a case, oldest first: the transcript. */
    public List<StoredMessage> forCase(String caseId) {
        List<StoredMessage> out = new ArrayList<>();
        messages.find(Filters.eq("caseId", caseId)).sort(Sorts.ascending("storedAt", "_id")).forEach(d -> out.add(fromDocument(d)));
        return out;
    }

    public long count() {
        return messages.estimatedDocumentCount();
    }

    private Document toDocument(StoredMessage m) {
        Document d = new Document("openid", m.openid())
                .append("direction", m.direction().name())
                .append("type", m.type())
                .append("content", m.content().isEmpty() ? "" : cipher.encrypt(m.content()))
                .append("sentAt", Date.from(m.sentAt()))
                .append("storedAt", Date.from(m.storedAt()));
        m.wechatMsgId().ifPresent(id -> d.append("msgId", id));
        if (!m.fields().isEmpty()) {
            d.append("fields", cipher.encrypt(new Document(m.fields()).toJson())); // Content, Recognition, Label…
        }
        return d;
    }

    private StoredMessage fromDocument(Document d) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        if (d.get("fields") instanceof String sealed) {
            Document.parse(cipher.decrypt(sealed)).forEach((k, v) -> map.put(k, String.valueOf(v)));
        }
        return new StoredMessage(
                d.getString("openid"),
                StoredMessage.Direction.valueOf(d.getString("direction")),
                d.getString("type"),
                d.getString("content").isEmpty() ? "" : cipher.decrypt(d.getString("content")),
                Optional.ofNullable(d.getLong("msgId")),
                map,
                d.getDate("sentAt").toInstant(),
                d.getDate("storedAt").toInstant());
    }
}
