package cn.shegong.core.resident;

import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Residents are WeChat users of the account, keyed by openid. We keep only what they chose to
 * tell us; the last contact time drives the 48-hour customer-service window. Every change is one
 * atomic upsert.
 */
public final class ResidentStore {

    private final MongoCollection<Document> residents;

    public ResidentStore(MongoDatabase db) {
        this.residents = db.getCollection("residents");
    }

    public void ensureIndexes() {
        residents.createIndex(Indexes.descending("lastContactAt"), new IndexOptions().name("lastContactAt"));
    }

    /** The user interacted (a message, a menu click): create them on first contact, move their last contact on. */
    public void recordContact(String openid, Instant at) {
        upsert(openid, at, Updates.combine(Updates.max("lastContactAt", Date.from(at)),
                Updates.setOnInsert("status", Resident.Status.ACTIVE.name())));
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
        residents.updateOne(Filters.eq("_id", openid),
                Updates.combine(Updates.setOnInsert("firstContactAt", Date.from(at)), update),
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
