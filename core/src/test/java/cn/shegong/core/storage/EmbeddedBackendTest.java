package cn.shegong.core.storage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoNamespace;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.bson.BsonRegularExpression;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.MaxKey;
import org.bson.types.MinKey;
import org.bson.types.ObjectId;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded store (documents as BSON, indexes compared by value) keeps MongoDB's unique-index contract — every
 * key found, a duplicate refused, sparse and compound keys, {@code $in} by {@code _id} — and a
 * store written by the library's own backend (or by this backend's earlier format) opens with its documents and indexes carried over, once; documents of every BSON kind come back
 * as they were after a restart.
 */
class EmbeddedBackendTest {

    @TempDir
    Path dir;

    @Test
    void everyKeyIsFoundAndEveryDuplicateRefusedAlsoAfterARestart() {
        List<ObjectId> ids = new ArrayList<>();
        Random random = new Random(7);
        try (Mongo mongo = Mongo.open(Optional.empty(), "t", dir)) {
            MongoCollection<Document> people = mongo.database().getCollection("people");
            people.createIndex(Indexes.ascending("phone"), new IndexOptions().unique(true).sparse(true));
            people.createIndex(Indexes.ascending("county", "number"), new IndexOptions().unique(true));
            for (int i = 0; i < 2_000; i++) {
                ObjectId id = new ObjectId();
                ids.add(id);
                Document d = new Document("_id", id).append("county", "c" + random.nextInt(5)).append("number", i);
                if (i % 3 != 0) {
                    d.append("phone", "139" + String.format("%08d", i));
                }
                people.insertOne(d);
            }
            people.insertOne(new Document("county", "elsewhere").append("number", 1)); // a compound key differing in one part
            people.insertOne(new Document("county", "x").append("number", 2_001)); // no phone: sparse, like a third of them
            people.insertOne(new Document("_id", "1").append("county", "y").append("number", 1)); // "1" is not 1
            people.insertOne(new Document("_id", 1).append("county", "z").append("number", 1));
            people.insertOne(new Document("_id", 2L).append("county", null).append("number", 1)); // a null part
            people.insertOne(new Document("_id", 2.5).append("number", 2)); // a missing part
            people.insertOne(new Document("_id", new Document("a", 1)).append("county", "d").append("number", 1));
            assertEveryKeyFound(people, ids, random);
        }
        try (Mongo mongo = Mongo.open(Optional.empty(), "t", dir)) { // every page read back from the file
            assertEveryKeyFound(mongo.database().getCollection("people"), ids, random);
        }
    }

    private static void assertEveryKeyFound(MongoCollection<Document> people, List<ObjectId> ids, Random random) {
        List<ObjectId> some = new ArrayList<>(ids);
        Collections.shuffle(some, random);
        for (ObjectId id : some.subList(0, 300)) {
            assertEquals(id, people.find(Filters.eq("_id", id)).first().getObjectId("_id"));
        }
        assertEquals(3, people.countDocuments(Filters.in("_id", some.subList(0, 3))));
        assertEquals(1, people.countDocuments(Filters.eq("phone", "13900000001")));
        assertEquals(1, people.countDocuments(Filters.and(Filters.eq("county", "c0"), Filters.eq("number", 0))) +
                people.countDocuments(Filters.and(Filters.ne("county", "c0"), Filters.eq("number", 0))));
        for (Object id : List.of("1", 1, 2L, 2.5, new Document("a", 1))) {
            assertEquals(1, people.countDocuments(Filters.eq("_id", id)), "_id " + id);
        }

        assertDuplicate(() -> people.insertOne(new Document("_id", ids.get(5))));
        assertDuplicate(() -> people.insertOne(new Document("_id", new Document("a", 1))));
        assertDuplicate(() -> people.insertOne(new Document("phone", "13900000001").append("county", "x").append("number", -1)));
        Document first = people.find(Filters.eq("number", 1)).first();
        assertDuplicate(() -> people.insertOne(new Document("county", first.getString("county")).append("number", 1)));
        assertDuplicate(() -> people.insertOne(new Document("county", null).append("number", 1)));
        assertDuplicate(() -> people.insertOne(new Document("number", 2)));
        assertEquals(2_007, people.countDocuments());
    }

    @Test
    void documentsOfEveryKindComeBackAsTheyWereAfterARestart() {
        Document rich = new Document("_id", new ObjectId()).append("text", "张大爷腿脚不好，一个人在家")
                .append("int", 7).append("long", 1L << 40).append("double", 2.5).append("yes", true).append("none", null)
                .append("at", new Date(1_764_000_000_123L)).append("money", Decimal128.parse("1234.56"))
                .append("bytes", new Binary(new byte[] {1, 2, 3, -1})).append("stamp", new BsonTimestamp(1_764_000_000, 3))
                .append("pattern", new BsonRegularExpression("^张", "i")).append("min", new MinKey()).append("max", new MaxKey())
                .append("nested", new Document("list", List.of(1, "二", new Document("deep", List.of()))));
        try (Mongo mongo = Mongo.open(Optional.empty(), "t", dir)) {
            MongoCollection<Document> things = mongo.database().getCollection("things");
            things.insertOne(rich);
            things.updateOne(Filters.eq("_id", rich.get("_id")), Updates.combine(
                    Updates.inc("int", 1), Updates.push("nested.list", 4)));
            MongoCollection<Document> old = mongo.database().getCollection("old");
            old.insertOne(new Document("_id", 1).append("v", "stays"));
            assertThrows(MongoCommandException.class, () -> old.renameCollection(new MongoNamespace("t", "renamed")),
                    "the library would leave its indexes behind");
            MongoCollection<Document> gone = mongo.database().getCollection("gone");
            gone.createIndex(Indexes.ascending("k"), new IndexOptions().unique(true));
            gone.insertOne(new Document("_id", 1).append("k", 1));
            gone.drop();
        }
        MVStore file = new MVStore.Builder().fileName(dir.resolve("mongo.mv").toString()).readOnly().open();
        try {
            assertTrue(file.hasMap("databases.t.things" + EmbeddedBackend.BSON));
            assertFalse(file.getMapNames().stream().anyMatch(name -> name.contains(".gone")), "a dropped collection leaves no map");
        } finally {
            file.close();
        }
        rich.put("int", 8);
        rich.get("nested", Document.class).put("list", List.of(1, "二", new Document("deep", List.of()), 4));
        try (Mongo mongo = Mongo.open(Optional.empty(), "t", dir)) {
            assertEquals(rich, mongo.database().getCollection("things").find().first());
            assertEquals("stays", mongo.database().getCollection("old").find(Filters.eq("_id", 1)).first().getString("v"));
        }
    }

    /**
     * A store written by the library's own backend; {@code "ordered"}: its index then renamed as
     * this backend named it until 2026-12-01; {@code "interrupted"}: that backend's copy of the
     * index interrupted, a part copied beside the whole.
     */
    @ParameterizedTest
    @ValueSource(strings = {"library", "ordered", "interrupted"})
    void aStoreOfAnEarlierFormatOpensWithItsDocumentsAndIndexesCarriedOver(String format) {
        Path file = dir.resolve("mongo.mv");
        String index = "t.people._index_phone_1";
        ObjectId someone = new ObjectId();
        H2Backend plain = new H2Backend(new MVStore.Builder().fileName(file.toString()).open());
        MongoServer server = new MongoServer(plain);
        try (MongoClient client = MongoClients.create(server.bindAndGetConnectionString())) {
            MongoCollection<Document> people = client.getDatabase("t").getCollection("people");
            people.createIndex(Indexes.ascending("phone"), new IndexOptions().unique(true));
            for (int i = 0; i < 500; i++) {
                people.insertOne(new Document("_id", "p" + i).append("phone", "p-" + i));
            }
            people.insertOne(new Document("_id", someone).append("phone", "p-someone"));
        } finally {
            server.shutdown();
            plain.close();
        }
        if (!format.equals("library")) { // its keys and positions Java-serialised alike; only the order differed
            MVStore store = new MVStore.Builder().fileName(file.toString()).open();
            if (format.equals("ordered")) {
                store.renameMap(store.openMap(index), index + EmbeddedBackend.ORDERED);
            } else {
                MVMap<Object, Object> part = store.openMap(index + EmbeddedBackend.ORDERED);
                store.openMap(index).entrySet().stream().limit(100).forEach(e -> part.put(e.getKey(), e.getValue()));
            }
            store.close();
        }
        for (int opening = 0; opening < 2; opening++) {
            try (Mongo mongo = Mongo.open(Optional.empty(), "t", dir)) {
                MongoCollection<Document> people = mongo.database().getCollection("people");
                assertEquals("p321", people.find(Filters.eq("phone", "p-321")).first().getString("_id"));
                assertEquals("p-7", people.find(Filters.eq("_id", "p7")).first().getString("phone"));
                assertEquals(someone, people.find(Filters.eq("phone", "p-someone")).first().getObjectId("_id"));
                assertEquals("p-someone", people.find(Filters.eq("_id", someone)).first().getString("phone"));
                assertDuplicate(() -> people.insertOne(new Document("_id", "p9")));
                assertDuplicate(() -> people.insertOne(new Document("_id", someone)));
                assertDuplicate(() -> people.insertOne(new Document("_id", "new" + System.nanoTime()).append("phone", "p-400")));
                assertEquals(501, people.countDocuments());
            }
        }
        MVStore store = new MVStore.Builder().fileName(file.toString()).readOnly().open();
        try {
            assertFalse(store.hasMap(index), "the earlier copies are gone");
            assertFalse(store.hasMap(index + EmbeddedBackend.ORDERED));
            assertFalse(store.hasMap("databases.t.people"));
            assertTrue(store.hasMap(index + EmbeddedBackend.BSON));
            assertTrue(store.hasMap("databases.t.people" + EmbeddedBackend.BSON));
        } finally {
            store.close();
        }
    }

    private static void assertDuplicate(Runnable insert) {
        MongoWriteException e = assertThrows(MongoWriteException.class, insert::run);
        assertEquals(ErrorCategory.DUPLICATE_KEY, ErrorCategory.fromErrorCode(e.getCode()));
    }
}
