package cn.shegong.server;

import java.nio.file.Files;
import java.nio.file.Path;

import cn.shegong.core.storage.Mongo;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The data folder's store served on a port: two clients (as two service processes would) share it, and it outlives a restart. */
class MongoCommandTest {

    @Test
    void twoClientsShareTheServedStoreAndItKeepsWhatTheyWrote() throws Exception {
        Path dir = Files.createTempDirectory("shegong-mongo-command");
        try (Mongo.Served served = Mongo.serve(dir, "127.0.0.1", 0);
             MongoClient one = MongoClients.create(served.uri());
             MongoClient two = MongoClients.create(served.uri())) {
            one.getDatabase("shegong").getCollection("cases").insertOne(new Document("_id", "a").append("by", "replica one"));
            assertEquals("replica one", two.getDatabase("shegong").getCollection("cases").find(new Document("_id", "a")).first().getString("by"));
        }
        try (Mongo.Served again = Mongo.serve(dir, "127.0.0.1", 0); MongoClient client = MongoClients.create(again.uri())) {
            assertEquals(1, client.getDatabase("shegong").getCollection("cases").countDocuments(), "the file kept it");
        }
    }
}
