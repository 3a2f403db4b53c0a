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

/**
 * Residents are WeChat users of the account, keyed by openid. We keep only what they chose to
 * tell us; the first and last contact times drive the 48-hour customer-service window.
 */
public final class ResidentStore {

    private final MongoCollection<Document> residents;

    public ResidentStore(MongoDatabase db) {
        this.residents = db.getCollection("residents");
    }

    public void ensureIndexes() {
        residents.createIndex(Indexes.descending("lastContactAt"), new IndexOptions().name("lastContactAt"));
    }

    /** Creates the resident on first contact and moves their last contact forward. One round trip. */
    public void recordContact(String openid, Instant at) {
        residents.updateOne(Filters.eq("_id", openid),
                Updates.combine(
                        Updates.setOnInsert("firstContactAt", Date.from(at)),
                        Updates.setOnInsert("status", "active"),
                        Updates.max("lastContactAt", Date.from(at))),
                new UpdateOptions().upsert(true));
    }

    public Optional<Resident> find(String openid) {
        return Optional.ofNullable(residents.find(Filters.eq("_id", openid)).first()).map(d -> new Resident(
                d.getString("_id"),
                d.getDate("firstContactAt").toInstant(),
                d.getDate("lastContactAt").toInstant(),
                d.getString("status")));
    }

    public long count() {
        return residents.estimatedDocumentCount();
    }
}
