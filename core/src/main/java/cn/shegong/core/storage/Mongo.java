package cn.shegong.core.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Logger;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import org.h2.mvstore.MVStore;
import org.bson.Document;

/**
 * The system of record. With a connection string it talks to that MongoDB; without one it starts
 * an embedded MongoDB-wire server (mongo-java-server, H2 file backend) on a free loopback port, so
 * the same driver code runs over the same protocol and data survives a restart.
 */
public final class Mongo implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Mongo.class.getName());

    private final MongoClient client;
    private final MongoDatabase database;
    private final Optional<Served> embedded;
    private final Optional<MongoProbe> probe;

    private Mongo(MongoClient client, String database, Served embedded, MongoProbe probe) {
        this.client = client;
        this.database = client.getDatabase(database);
        this.embedded = Optional.ofNullable(embedded);
        this.probe = Optional.ofNullable(probe);
    }

    /** Connects to {@code uri} when present, else starts the embedded server with its file under {@code dataDir}. */
    public static Mongo open(Optional<String> uri, String database, Path dataDir) {
        return open(uri, database, dataDir, Optional.empty());
    }

    /** As {@link #open(Optional, String, Path)}, every command the client sends told to {@code commands}. */
    public static Mongo open(Optional<String> uri, String database, Path dataDir, Optional<MongoCommands> commands) {
        if (uri.isPresent()) {
            MongoClient client = MongoClients.create(settings(uri.get(), CONNECT_TIMEOUT, commands));
            requireReachable(client, database);
            return new Mongo(client, database, null, new MongoProbe(uri.get()));
        }
        return embedded(dataDir, database, Journal.CHECKPOINT_EVERY, commands);
    }

    /** The embedded store, its journal checkpointed every {@code checkpointEvery} (tests: never on its own). */
    static Mongo embedded(Path dataDir, String database, Duration checkpointEvery) {
        return embedded(dataDir, database, checkpointEvery, Optional.empty());
    }

    private static Mongo embedded(Path dataDir, String database, Duration checkpointEvery, Optional<MongoCommands> commands) {
        Served embedded = Served.start(dataDir, MongoServer::bindAndGetConnectionString, checkpointEvery);
        LOG.info(() -> "Embedded MongoDB-wire server on " + embedded.server.getLocalAddress() + ", file " + dataDir.resolve("mongo.mv"));
        return new Mongo(MongoClients.create(settings(embedded.uri, IN_PROCESS_CONNECT_TIMEOUT, commands)), database, embedded, null);
    }

    /**
     * The embedded store of one folder, served on a socket, every change journaled ({@link Journal})
     * once what the last run's crash left there is applied again.
     */
    public static final class Served implements AutoCloseable {

        private final MongoServer server;
        private final EmbeddedBackend backend;
        private final Journal journal;
        private final Path dataDir;
        private final String uri;

        private Served(MongoServer server, EmbeddedBackend backend, Journal journal, Path dataDir, String uri) {
            this.server = server;
            this.backend = backend;
            this.journal = journal;
            this.dataDir = dataDir;
            this.uri = uri;
        }

        /** Where the store answers, as a MongoDB connection string. */
        public String uri() {
            return uri;
        }

        private static Served start(Path dataDir, Function<MongoServer, String> bind, Duration checkpointEvery) {
            EmbeddedBackend backend = embeddedBackend(dataDir);
            try {
                replay(dataDir, backend); // before any client can connect
            } catch (RuntimeException e) {
                backend.abandon(); // the file as it was: the next start replays again
                throw e;
            }
            try {
                Journal journal = new Journal(dataDir, backend::commitWhole, backend::unsaved, checkpointEvery);
                backend.journalTo(journal);
                MongoServer server = new MongoServer(backend);
                try {
                    return new Served(server, backend, journal, dataDir, bind.apply(server));
                } catch (RuntimeException e) {
                    journal.close();
                    server.shutdown();
                    throw e;
                }
            } catch (RuntimeException e) {
                backend.close();
                throw e;
            }
        }

        /** Stops serving and commits the file; the journal is dropped only when the file surely holds it all. */
        @Override
        public void close() {
            boolean healthy = backend.healthy(); // a failed store closes without committing, silently
            journal.stopCheckpoints();
            try {
                server.shutdown(); // lets what is under way finish, then closes the store: commits its file
            } finally {
                journal.close();
                backend.close();
            }
            if (healthy && !backend.failed()) {
                Journal.drop(dataDir);
            } else {
                LOG.warning("the embedded store's file was not committed at close: its journal is kept for the next start");
            }
        }
    }

    /**
     * Serves the embedded store of {@code dataDir} on {@code host:port} (0: any free port) —
     * {@code ./shegong mongo}, so two service processes on one machine can share one MongoDB-wire
     * store (what {@code ./shegong cluster-check} needs; production uses a replica set).
     */
    public static Served serve(Path dataDir, String host, int port) {
        return Served.start(dataDir, server -> {
            server.bind(host, port);
            java.net.InetSocketAddress at = server.getLocalAddress();
            return "mongodb://" + at.getHostString() + ":" + at.getPort();
        }, Journal.CHECKPOINT_EVERY);
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
                .cacheSize(embeddedCacheMb())
                .autoCommitDisabled().autoCommitBufferSize(0) // committed only between write commands: EmbeddedBackend#commitWhole
                .open());
    }

    /**
     * The embedded store's page cache: a quarter of the heap, at most 512 MB, counted at what its
     * documents take on the heap ({@link BsonDocuments#HEAP_PER_BSON_BYTE}). Its default, 16 MB,
     * holds a few thousand households; past what the cache holds every scan (the store has no
     * secondary indexes) reads pages from the file again — a list of 100,000 households took 6.5 s
     * instead of 0.2 s.
     */
    static int embeddedCacheMb() {
        return (int) Math.max(16, Math.min(512, Runtime.getRuntime().maxMemory() / 4 / (1024 * 1024)));
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /**
     * The server in this process is never out of reach, only slow when the CPU is. A heartbeat
     * timing out then (its socket timeout is the connect timeout) lets the driver clear the pool and
     * interrupt operations in flight (the SDAM rule "interruptInUseConnections") — the suspected
     * cause of one "Prematurely reached end of stream" in a test while the suite loaded both cores.
     */
    private static final Duration IN_PROCESS_CONNECT_TIMEOUT = Duration.ofSeconds(20);

    private static MongoClientSettings settings(String connection, Duration connectTimeout, Optional<MongoCommands> commands) {
        MongoClientSettings.Builder settings = MongoClientSettings.builder();
        commands.ifPresent(settings::addCommandListener);
        return settings
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
     * Applies again what the journal held when the process last stopped ({@link JournalReplay}),
     * then commits the file and drops the journal.
     */
    private static void replay(Path dataDir, EmbeddedBackend backend) {
        List<Journal.Change> left = JournalReplay.leftOver(dataDir);
        int documents = JournalReplay.apply(backend, left);
        backend.commitWhole();
        Journal.drop(dataDir);
        if (!left.isEmpty()) {
            LOG.info(() -> "journal: " + left.size() + " changes to " + documents + " documents after an unclean stop, applied again");
        }
    }

    /**
     * Documents the embedded store's queries looked at one by one because no index answered them
     * (trap 13 of shared/deps.md); empty on a real MongoDB, which plans its own queries.
     */
    public OptionalLong embeddedDocumentsScanned() {
        return embedded.map(e -> OptionalLong.of(e.backend.documentsScanned())).orElse(OptionalLong.empty());
    }

    /** The embedded store's backend (tests). */
    EmbeddedBackend embeddedBackend() {
        return embedded.orElseThrow().backend;
    }

    /** Commits the embedded store's file and drops the journal that led up to it (tests; it runs every second on its own). */
    void checkpoint() {
        embedded.orElseThrow().journal.checkpoint();
    }

    public MongoDatabase database() {
        return database;
    }

    @Override
    public void close() {
        probe.ifPresent(MongoProbe::close);
        client.close();
        embedded.ifPresent(Served::close);
    }
}
