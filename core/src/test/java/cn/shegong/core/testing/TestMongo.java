package cn.shegong.core.testing;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A MongoDB-wire server for one test class: mongo-java-server in memory, reached over TCP by the
 * real driver, so tests exercise the same protocol production does. One client, one database.
 * A store test registers it ({@code @RegisterExtension static final TestMongo mongo = new TestMongo();})
 * and it stops after the class's last test.
 */
public final class TestMongo implements AutoCloseable, AfterAllCallback {

    private final MongoServer server = new MongoServer(new MemoryBackend());
    private final String uri = server.bindAndGetConnectionString();
    private final MongoClient client = MongoClients.create(uri);

    /** A connection string for the service under test ({@code MONGODB_URI}). */
    public String uri() {
        return uri;
    }

    public MongoDatabase database(String name) {
        return client.getDatabase(name);
    }

    /** The database emptied: each test starts from nothing. */
    public MongoDatabase fresh(String name) {
        MongoDatabase db = client.getDatabase(name);
        db.drop();
        return db;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        client.close();
        server.shutdownNow();
    }
}
