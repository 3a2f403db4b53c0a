package cn.shegong.core.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import com.mongodb.ConnectionString;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.h2.mvstore.MVStore;
import org.bson.Document;
import org.bson.RawBsonDocument;

/**
 * The system of record. With a connection string it talks to that MongoDB; without one it starts
 * an embedded MongoDB-wire server (mongo-java-server, H2 file backend) on a free loopback port, so
 * the same driver code runs over the same protocol and data survives a restart.
 */
public final class Mongo implements AutoCloseable, Durability {

    private static final Logger LOG = Logger.getLogger(Mongo.class.getName());

    private final MongoClient client;
    private final MongoDatabase database;
    private final Optional<MongoServer> embedded;
    private final Optional<EmbeddedBackend> backend;
    private final Optional<MongoProbe> probe;
    private final Optional<Journal> journal;
    private final Optional<Path> dataDir;

    private Mongo(MongoClient client, String database, MongoServer embedded, EmbeddedBackend backend, MongoProbe probe, Path dataDir,
                  Journal journal) {
        this.client = client;
        this.database = client.getDatabase(database);
        this.embedded = Optional.ofNullable(embedded);
        this.backend = Optional.ofNullable(backend);
        this.probe = Optional.ofNullable(probe);
        this.dataDir = Optional.ofNullable(dataDir);
        this.journal = Optional.ofNullable(journal);
    }

    /** Connects to {@code uri} when present, else starts the embedded server with its file under {@code dataDir}. */
    public static Mongo open(Optional<String> uri, String database, Path dataDir) {
        if (uri.isPresent()) {
            MongoClient client = MongoClients.create(settings(uri.get(), CONNECT_TIMEOUT));
            requireReachable(client, database);
            return new Mongo(client, database, null, null, new MongoProbe(uri.get()), null, null);
        }
        EmbeddedBackend backend = embeddedBackend(dataDir);
        MongoServer server = new MongoServer(backend);
        String connection = server.bindAndGetConnectionString();
        LOG.info(() -> "Embedded MongoDB-wire server on " + server.getLocalAddress() + ", file " + dataDir.resolve("mongo.mv"));
        MongoClient client = MongoClients.create(settings(connection, IN_PROCESS_CONNECT_TIMEOUT));
        Journal journal;
        try {
            replay(client, dataDir, backend);
            journal = new Journal(dataDir, backend::commitWritten);
        } catch (RuntimeException e) {
            client.close();
            server.shutdown();
            backend.close();
            throw e;
        }
        return new Mongo(client, database, server, backend, null, dataDir, journal);
    }

    /** The embedded store served on its own, for several service processes to share (one machine, no replica set). */
    public record Served(MongoServer server, H2Backend backend, String uri) implements AutoCloseable {
        @Override
        public void close() {
            server.shutdown();
            backend.close();
        }
    }

    /**
     * Serves the embedded store of {@code dataDir} on {@code host:port} (0: any free port) —
     * {@code ./shegong mongo}, so two service processes on one machine can share one MongoDB-wire
     * store (what {@code ./shegong cluster-check} needs; production uses a replica set).
     */
    public static Served serve(Path dataDir, String host, int port) {
        EmbeddedBackend backend = embeddedBackend(dataDir);
        MongoServer server = new MongoServer(backend);
        server.bind(host, port);
        java.net.InetSocketAddress at = server.getLocalAddress();
        String uri = "mongodb://" + at.getHostString() + ":" + at.getPort();
        try (MongoClient client = MongoClients.create(settings(uri, IN_PROCESS_CONNECT_TIMEOUT))) {
            replay(client, dataDir, backend); // left by a service that ran on this folder and crashed
        } catch (RuntimeException e) {
            server.shutdown();
            backend.close();
            throw e;
        }
        return new Served(server, backend, uri);
    }

    /**
     * The embedded store's file, {@code dataDir/mongo.mv}, opened (and the folder made) for one server;
     * nothing in it Java-serialised, its indexes compared by value ({@link EmbeddedBackend}).
     */
    private static EmbeddedBackend embeddedBackend(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data folder " + dataDir, e);
        }
        return new EmbeddedBackend(new MVStore.Builder().fileName(dataDir.resolve("mongo.mv").toString())
                .cacheSize(embeddedCacheMb()).open());
    }

    /**
     * The embedded store's page cache: a quarter of the heap, at most 256 MB. Its default, 16 MB,
     * holds about 20,000 households; past that every scan (the store has no secondary indexes)
     * reads pages from the file again — a list of 100,000 households took 6.5 s instead of 0.3 s.
     */
    static int embeddedCacheMb() {
        return (int) Math.max(16, Math.min(256, Runtime.getRuntime().maxMemory() / 4 / (1024 * 1024)));
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /**
     * The server in this process is never out of reach, only slow when the CPU is. A heartbeat
     * timing out then (its socket timeout is the connect timeout) lets the driver clear the pool and
     * interrupt operations in flight (the SDAM rule "interruptInUseConnections") — the suspected
     * cause of one "Prematurely reached end of stream" in a test while the suite loaded both cores.
     */
    private static final Duration IN_PROCESS_CONNECT_TIMEOUT = Duration.ofSeconds(20);

    private static MongoClientSettings settings(String connection, Duration connectTimeout) {
        return MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(connection))
                .writeConcern(WriteConcern.MAJORITY.withJournal(true))
                // the code reads its own writes and locks optimistically by version: primary only, whatever the URI says
                .readPreference(com.mongodb.ReadPreference.primary())
                .retryWrites(true)
                .retryReads(true)
                .applyToClusterSettings(b -> b.serverSelectionTimeout(5, TimeUnit.SECONDS))
                .applyToSocketSettings(b -> b.connectTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS).readTimeout(10, TimeUnit.SECONDS))
                .build();
    }

    private static void requireReachable(MongoClient client, String database) {
        try {
            client.getDatabase(database).runCommand(new Document("ping", 1));
        } catch (MongoException e) {
            client.close();
            throw new StorageUnavailableException("MongoDB is not reachable at MONGODB_URI: " + e.getClass().getSimpleName());
        }
    }

    /**
     * False while a configured MongoDB does not answer its probe (checked every second, see
     * {@link MongoProbe}); the embedded store in this process is always reachable.
     */
    public boolean reachable() {
        return probe.map(p -> !p.down()).orElse(true);
    }

    /**
     * For health: a configured MongoDB answers when its last probe did (health never waits on a
     * stalled server: a ping would hang for the driver's ten-second timeout); the embedded store is pinged.
     */
    public boolean answers() {
        if (probe.isPresent()) {
            return !probe.get().down();
        }
        try {
            ping();
            return true;
        } catch (MongoException e) {
            return false;
        }
    }

    /** Round trip to the server; throws when it does not answer. */
    public void ping() {
        database.runCommand(new Document("ping", 1));
    }

    /**
     * Makes every write so far survive a crash of the process. The embedded store commits its file
     * (its own background commit runs only every second); a real MongoDB already acknowledged the
     * writes with a majority, journaled write concern.
     */
    @Override
    public void everything() {
        backend.ifPresent(EmbeddedBackend::commitWritten);
    }

    /**
     * Makes these just-inserted documents survive a crash of the process: the embedded store
     * appends them to its journal ({@link Journal}), far cheaper than committing its file; a real
     * MongoDB already acknowledged them with a majority, journaled write concern.
     */
    @Override
    public void inserted(String collection, List<Document> documents) {
        journal.ifPresent(j -> j.append(database.getName() + "." + collection, documents));
    }

    /**
     * Inserts again what the journal held when the process last stopped, where the file does not
     * hold it yet (a document already there is skipped), then commits and drops the journal.
     */
    private static void replay(MongoClient client, Path dataDir, EmbeddedBackend backend) {
        List<Journal.Entry> left = Journal.leftOver(dataDir);
        int inserted = 0;
        for (Journal.Entry e : left) {
            int dot = e.namespace().indexOf('.');
            try {
                client.getDatabase(e.namespace().substring(0, dot))
                        .getCollection(e.namespace().substring(dot + 1), RawBsonDocument.class).insertOne(e.document());
                inserted++;
            } catch (MongoWriteException dup) {
                if (dup.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw dup;
                }
            }
        }
        backend.commitWritten();
        Journal.drop(dataDir);
        if (!left.isEmpty()) {
            int n = inserted;
            LOG.info(() -> "journal: " + left.size() + " documents after an unclean stop, " + n + " of them not yet in the file, inserted again");
        }
    }

    public MongoDatabase database() {
        return database;
    }

    @Override
    public void close() {
        boolean healthy = backend.map(EmbeddedBackend::healthy).orElse(false); // a failed store closes without committing, silently
        probe.ifPresent(MongoProbe::close);
        journal.ifPresent(Journal::close);
        client.close();
        embedded.ifPresent(MongoServer::shutdown); // closes the backend: commits its file
        backend.ifPresent(H2Backend::close);
        if (journal.isPresent() && healthy && backend.filter(EmbeddedBackend::failed).isEmpty()) {
            dataDir.ifPresent(Journal::drop); // the file holds it all
        } else if (journal.isPresent()) {
            LOG.warning("the embedded store's file was not committed at close: its journal is kept for the next start");
        }
    }
}
