package cn.shegong.core.storage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A query that names a document's unique key and asks more of it — a write at a version, a claim
 * of an item still waiting, a first contact — reads that one document on the embedded store, not
 * the collection (without a unique index of its very shape, it used to read them all), and answers
 * as MongoDB would.
 */
class IndexedCollectionTest {

    private static final int REQUESTS = 1_000;

    @TempDir
    Path dir;

    @Test
    void aQueryOnAKeyAndMoreReadsOneDocumentAndAnswersAsMongoDbWould() {
        try (Mongo mongo = Mongo.open(Optional.empty(), "t", dir)) {
            MongoCollection<Document> requests = mongo.database().getCollection("requests");
            requests.createIndex(Indexes.ascending("number"), new IndexOptions().unique(true).sparse(true));
            requests.createIndex(Indexes.ascending("county", "seq"), new IndexOptions().unique(true).sparse(true));
            List<ObjectId> ids = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                ObjectId id = new ObjectId();
                ids.add(id);
                requests.insertOne(new Document("_id", id).append("number", "N" + i).append("version", 0)
                        .append("status", i % 2 == 0 ? "NEW" : "CLOSED").append("county", "c" + i % 10).append("seq", i / 10));
            }
            requests.insertOne(new Document("_id", 1).append("status", "NEW"));
            requests.insertOne(new Document("_id", "1").append("status", "CLOSED"));
            long before = mongo.embeddedDocumentsScanned().orElseThrow();

            ObjectId first = ids.getFirst();
            Document atVersion = new Document("_id", first).append("version", 0); // as CaseDocuments.atVersion writes it
            assertEquals(1, requests.updateOne(atVersion, Updates.inc("version", 1)).getModifiedCount());
            assertEquals(0, requests.updateOne(atVersion, Updates.inc("version", 1)).getModifiedCount(), "a stale version changes nothing");
            assertNotNull(requests.findOneAndUpdate(Filters.and(Filters.eq("_id", first), Filters.eq("status", "NEW")),
                    Updates.set("status", "CLAIMED")));
            assertNull(requests.findOneAndUpdate(Filters.and(Filters.eq("_id", first), Filters.eq("status", "NEW")),
                    Updates.set("status", "CLAIMED")), "claimed once");
            assertEquals(1, found(requests, new Document("number", "N7").append("status", "CLOSED")));
            assertEquals(0, found(requests, new Document("number", "N7").append("status", "NEW")));
            assertEquals(0, found(requests, new Document("_id", new ObjectId()).append("status", "NEW")), "no such key");
            assertEquals(1, found(requests, new Document("_id", 1).append("status", "NEW")));
            assertEquals(1, found(requests, new Document("_id", 1L).append("status", "NEW")), "1L is 1, as on MongoDB");
            assertEquals(1, found(requests, new Document("county", "c3").append("seq", 5).append("status", "CLOSED")), "by a compound key");
            assertEquals(0, requests.find(new Document("_id", first).append("status", "CLAIMED")).skip(1).into(new ArrayList<>()).size());
            assertEquals(1, found(requests, new Document("_id", "1").append("status", "CLOSED")), "\"1\" is not 1");
            assertEquals(0, found(requests, Filters.and(Filters.eq("_id", first), Filters.eq("_id", ids.get(2)))));
            assertEquals(1, requests.deleteOne(new Document("_id", ids.get(2)).append("status", "NEW")).getDeletedCount());
            assertEquals(0, mongo.embeddedDocumentsScanned().orElseThrow() - before, "each of these read one document by its key");

            assertEquals(REQUESTS / 2 + 1, found(requests, Filters.eq("status", "CLOSED")), "a query no index answers");
            assertEquals(2, found(requests, new Document("_id", new Document("$in", List.of(1, "1"))).append("status",
                    new Document("$in", List.of("NEW", "CLOSED")))), "an operator on the key: a scan");
            assertTrue(mongo.embeddedDocumentsScanned().orElseThrow() - before >= REQUESTS, "a scan is counted");
        }
    }

    /** Read with find: the driver's countDocuments is an aggregation, whose $match the library runs over every document. */
    private static int found(MongoCollection<Document> requests, org.bson.conversions.Bson query) {
        return requests.find(query).into(new ArrayList<>()).size();
    }
}
