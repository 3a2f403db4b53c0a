package cn.shegong.core.resident;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import cn.shegong.core.storage.GroupCommit;
import cn.shegong.core.storage.StorageUnavailableException;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

/**
 * Residents are WeChat users of the account, keyed by openid. We keep only what they chose to
 * tell us; the last contact time drives the 48-hour customer-service window. Every change is one
 * atomic upsert.
 * <p>
 * A resident also keeps the ids of their latest messages not yet part of a request
 * ({@link #RECENT} at most: a message and its answer are two): opening a request links those
 * since the intake began ({@link #linkRecent}), by key. Finding them by openid and time instead would be a
 * scan of every message on the embedded store, once per request opened (shared/deps.md, trap 13).
 * <p>
 * Contact writes — one per push — are grouped ({@link GroupCommit}): those of pushes in flight
 * together go in one unordered bulk write. One person's pushes are handled one at a time, so a
 * group seldom holds two of one person, and if it does their order does not matter ({@code $max},
 * {@code $setOnInsert}, ids pushed once each).
 */
public final class ResidentStore implements AutoCloseable {

    /** Twenty messages and their answers: a long intake, without growing the document. */
    static final int RECENT = 40;
    private static final int MAX_BATCH = 128;
    private static final Duration WRITE_WAIT = Duration.ofSeconds(10);
    /** As a message insert's: a group MongoDB has not acknowledged in this time fails (the push is then kept in the backlog). */
    private static final Duration WRITE_TIMEOUT = Duration.ofMillis(2500);

    private final MongoCollection<Document> residents;
    private final GroupCommit<UpdateOneModel<Document>, Optional<RuntimeException>> contacts;

    public ResidentStore(MongoDatabase db) {
        this.residents = db.getCollection("residents");
        this.contacts = new GroupCommit<>("shegong-contact-writer", 4 * MAX_BATCH, MAX_BATCH, WRITE_WAIT, this::writeAll);
    }

    public void ensureIndexes() {
        residents.createIndex(Indexes.descending("lastContactAt"), new IndexOptions().name("lastContactAt"));
    }

    /** The user interacted (a message, a menu click): create them on first contact, move their last contact on. */
    public void recordContact(String openid, Instant at) {
        recordContact(openid, at, List.of());
    }

    /** As {@link #recordContact(String, Instant)}, remembering {@code messages} (stored at {@code at}) until a request takes them. */
    public void recordContact(String openid, Instant at, Collection<ObjectId> messages) {
        Bson contact = Updates.combine(Updates.max("lastContactAt", Date.from(at)),
                Updates.setOnInsert("status", Resident.Status.ACTIVE.name()));
        Bson update = messages.isEmpty() ? contact : Updates.combine(contact, Updates.pushEach("recent",
                messages.stream().map(id -> new Document("id", id).append("at", Date.from(at))).toList(),
                new com.mongodb.client.model.PushOptions().slice(-RECENT)));
        Optional<RuntimeException> failed = contacts.submit(upsertOf(openid, at, update));
        if (failed.isPresent()) {
            throw failed.get();
        }
    }

    /**
     * One unordered bulk write for the group; the items that failed in it are tried once more
     * together, and only their own callers hear of a second failure. A write concern not met
     * (a real MongoDB's majority) fails the whole group: nothing in it is known to be kept.
     */
    private List<Optional<RuntimeException>> writeAll(List<UpdateOneModel<Document>> batch) {
        MongoCollection<Document> timed = residents.withTimeout(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (batch.size() == 1) { // alone: the plain update, not a bulk write of one
            UpdateOneModel<Document> contact = batch.getFirst();
            timed.updateOne(contact.getFilter(), contact.getUpdate(), contact.getOptions());
            return List.of(Optional.empty());
        }
        List<Optional<RuntimeException>> results = new ArrayList<>(Collections.nCopies(batch.size(), Optional.empty()));
        List<Integer> failed = failedIn(timed, batch);
        if (!failed.isEmpty()) {
            try {
                List<Integer> again = failedIn(timed, failed.stream().map(batch::get).toList());
                again.forEach(i -> results.set(failed.get(i), Optional.of(new StorageUnavailableException("a contact write failed twice"))));
            } catch (MongoException e) {
                failed.forEach(i -> results.set(i, Optional.of(e)));
            }
        }
        return results;
    }

    /** The positions in {@code contacts} whose write failed on its own (a failure of the whole write is thrown). */
    private static List<Integer> failedIn(MongoCollection<Document> residents, List<UpdateOneModel<Document>> contacts) {
        try {
            residents.bulkWrite(contacts, new BulkWriteOptions().ordered(false));
            return List.of();
        } catch (MongoBulkWriteException e) {
            if (e.getWriteConcernError() != null) {
                throw e;
            }
            return e.getWriteErrors().stream().map(BulkWriteError::getIndex).toList();
        }
    }

    @Override
    public void close() {
        contacts.close();
    }

    /**
     * Hands the ids of the person's remembered messages stored at or after {@code since} to
     * {@code link}, then forgets them, so each is linked to one request only. Forgotten only after
     * {@code link} returned: a crash in between leaves them remembered, never unlinked.
     */
    public void linkRecent(String openid, Instant since, Consumer<List<ObjectId>> link) {
        Document d = residents.find(Filters.eq("_id", openid)).projection(Projections.include("recent")).first();
        Date from = Date.from(since); // compared at the stored precision (milliseconds) on both sides
        List<ObjectId> ids = d == null ? List.of() : d.getList("recent", Document.class, List.of()).stream()
                .filter(e -> !e.getDate("at").before(from)).map(e -> e.getObjectId("id")).toList();
        if (ids.isEmpty()) {
            return;
        }
        link.accept(ids);
        residents.updateOne(Filters.eq("_id", openid), Updates.pull("recent", new Document("id", new Document("$in", ids))));
    }

    /** Followed the account, possibly through a QR code's scene: (re)activated. */
    public void subscribe(String openid, Optional<String> scene, Instant at) {
        Bson update = Updates.combine(Updates.max("lastContactAt", Date.from(at)),
                Updates.set("status", Resident.Status.ACTIVE.name()), Updates.set("subscribedAt", Date.from(at)));
        upsert(openid, at, scene.map(s -> Updates.combine(update, Updates.set("scene", s))).orElse(update));
    }

    /** Unfollowed: nothing more can be sent to them until they follow again. Their cases stay on record. */
    public void unsubscribe(String openid, Instant at) {
        upsert(openid, at, Updates.combine(Updates.set("status", Resident.Status.UNSUBSCRIBED.name()),
                Updates.set("unsubscribedAt", Date.from(at))));
    }

    /** The person's answer to the privacy notice (PIPL: details are asked for only after they agree). */
    public void recordConsent(String openid, boolean agreed, Instant at) {
        upsert(openid, at, Updates.combine(Updates.set("consent", agreed), Updates.set("consentAt", Date.from(at))));
    }

    public Optional<Boolean> consent(String openid) {
        return Optional.ofNullable(residents.find(Filters.eq("_id", openid)).first()).map(d -> d.getBoolean("consent"));
    }

    private void upsert(String openid, Instant at, Bson update) {
        UpdateOneModel<Document> upsert = upsertOf(openid, at, update);
        residents.updateOne(upsert.getFilter(), upsert.getUpdate(), upsert.getOptions());
    }

    private static UpdateOneModel<Document> upsertOf(String openid, Instant at, Bson update) {
        return new UpdateOneModel<>(Filters.eq("_id", openid), Updates.combine(Updates.setOnInsert("firstContactAt", Date.from(at)), update),
                new UpdateOptions().upsert(true));
    }

    public Optional<Resident> find(String openid) {
        return Optional.ofNullable(residents.find(Filters.eq("_id", openid)).first()).map(d -> new Resident(
                d.getString("_id"),
                d.getDate("firstContactAt").toInstant(),
                Optional.ofNullable(d.getDate("lastContactAt")).map(Date::toInstant).orElse(Instant.EPOCH),
                Resident.Status.valueOf(d.get("status", Resident.Status.ACTIVE.name())),
                Optional.ofNullable(d.getString("scene"))));
    }

    public long count() {
        return residents.estimatedDocumentCount();
    }
}
