package cn.shegong.core.storage;

import java.util.List;
import java.util.Map.Entry;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.logging.Logger;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.IllegalOperationException;
import de.bwaldvogel.mongo.oplog.Oplog;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * The embedded store: mongo-java-server's H2 backend with nothing Java-serialised and its unique
 * indexes ({@code _id} and every unique one, the only indexes it has) compared value by value.
 * <ul>
 * <li>Documents are written as BSON ({@link BsonDocuments}); keys, index keys and index positions as
 * BSON values ({@link StoredValues}). H2 Java-serialises what it does not know, a new object stream
 * per value, and each commit writes every entry of each page it changed: the largest single cost
 * of the webhook under load (docs/benchmarks.md).</li>
 * <li>The library keys each index by its {@code KeyValue}, which is not {@code Comparable}, so H2
 * ordered those keys by their serialised bytes, serialising both sides of every comparison. Here
 * they are ordered value by value: by {@code compareTo} where both are of one {@code Comparable}
 * class, else by class name, else (documents, lists) by their serialised bytes. Two keys are the
 * same key exactly when their values are equal, as before.</li>
 * <li>Every change to a document is journaled before it is acknowledged, once a journal is given
 * ({@link #journalTo}, {@link JournaledCollection}).</li>
 * </ul>
 * A collection's documents and its indexes are kept under the library's map names with
 * {@link #BSON} appended (its size, a number, as before). A map of an earlier format (the library's,
 * or an index of ours in {@link #ORDERED}) is merged into its new map when the store opens and then
 * removed; a crash before the removal merges it again.
 */
final class EmbeddedBackend extends H2Backend {

    private static final Logger LOG = Logger.getLogger(EmbeddedBackend.class.getName());
    /** Appended to the library's map name of a map in this format. */
    static final String BSON = "#bson";
    /** Appended to the library's map name of an index of an earlier format: ordered by value, Java-serialised. */
    static final String ORDERED = "#ordered";
    /** The library's prefixes of a collection's documents and of its size (its own are not visible). */
    private static final String DATA = "databases.", META = "meta.";

    private volatile Journal journal;
    /** Shared by every write command ({@link JournaledCollection}), taken whole by {@link #commitWhole}. */
    private final ReadWriteLock barrier = new ReentrantReadWriteLock();

    EmbeddedBackend(MVStore store) {
        super(store);
    }

    /** From now on every change to a document is appended to {@code journal} before it is acknowledged ({@link JournaledCollection}). */
    void journalTo(Journal journal) {
        this.journal = journal;
    }

    /**
     * Commits the file between write commands, never during one, and returns once it is written:
     * the file then holds each document with its index entries. H2's own commits (in the background,
     * or when its unsaved pages pass a size) are switched off ({@code Mongo}); this is the only
     * commit but the one at close, when no command runs.
     */
    void commitWhole() {
        Lock whole = barrier.writeLock();
        whole.lock();
        try {
            commitWritten();
        } finally {
            whole.unlock();
        }
    }

    /** Changes not yet committed to the file. */
    boolean unsaved() {
        return getMvStore().hasUnsavedChanges();
    }

    /**
     * Commits the file and returns once it is written. {@link #commit} alone can return while H2's
     * writer threads still hold the pages: when its background commit took the changes first, or
     * when it hands the writing to them.
     */
    private void commitWritten() {
        commit();
        getMvStore().getFileStore().executeFileStoreOperation(() -> { });
        if (!healthy()) { // a write that failed on H2's own threads is kept there, not thrown to whoever waits for it
            throw new StorageUnavailableException("the embedded store's file failed or is closed");
        }
    }

    /** Open, and no write of its file has failed (after a failure H2 closes the store and never writes again). */
    boolean healthy() {
        return !getMvStore().isClosed() && !failed();
    }

    /** A write of its file failed at some point, closing included. */
    boolean failed() {
        return getMvStore().getPanicException() != null;
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return Database.open(databaseName, new Opened(getMvStore(), () -> journal, barrier), getCursorRegistry());
    }

    /** What a database's maps live in, where its changes are journaled (null: nowhere yet), and its write barrier. */
    private record Opened(MVStore store, Supplier<Journal> journal, ReadWriteLock barrier) {
    }

    private static final class Database extends H2Database {

        /** The library opens a database's collections and indexes inside its constructor, before {@link #opened} is set. */
        private static final ThreadLocal<Opened> OPENING = new ThreadLocal<>();
        private final Opened opened;

        static Database open(String name, Opened opened, CursorRegistry cursors) {
            OPENING.set(opened);
            try {
                return new Database(name, opened, cursors);
            } finally {
                OPENING.remove();
            }
        }

        private Database(String name, Opened opened, CursorRegistry cursors) {
            super(name, opened.store(), cursors);
            this.opened = opened;
        }

        private Opened opened() {
            return opened != null ? opened : OPENING.get();
        }

        private MVStore store() {
            return opened().store();
        }

        private String mapName(String collection, String index) {
            return getFullCollectionNamespace(collection) + "._index_" + index; // the library's own name
        }

        @Override
        protected Index<Object> openOrCreateUniqueIndex(String collection, String index, List<IndexKey> keys, boolean sparse) {
            String library = mapName(collection, index);
            MVMap<KeyValue, Object> map = copied(store(), library + BSON,
                    new MVMap.Builder<KeyValue, Object>().keyType(new Keys()).valueType(new StoredValues()), library, library + ORDERED);
            return new OrderedIndex(map, index, keys, sparse);
        }

        private static MVMap.Builder<Object, Document> documents() {
            return new MVMap.Builder<Object, Document>().keyType(new StoredValues()).valueType(new BsonDocuments());
        }

        /**
         * The map {@code name}, opened with {@code builder}, with each map of an earlier format in
         * {@code legacy} (Java-serialised) put into it and then removed. Put, not replaced: a copy a
         * crash interrupted is completed from its whole source, and a map both formats hold (the
         * library's beside a copy of ours it interrupted; one an older version wrote after a
         * rollback) is merged, never emptied.
         */
        private static <K, V> MVMap<K, V> copied(MVStore s, String name, MVMap.Builder<K, V> builder, String... legacy) {
            MVMap<K, V> map = s.openMap(name, builder);
            for (String old : legacy) {
                if (s.hasMap(old)) {
                    map.putAll(s.<K, V>openMap(old));
                    s.removeMap(old);
                    LOG.info(() -> old + " copied to " + name + " (" + map.size() + " entries)");
                }
            }
            return map;
        }

        @Override
        protected MongoCollection<Object> openOrCreateCollection(String collection, CollectionOptions options) {
            MVStore s = store();
            String full = getFullCollectionNamespace(collection);
            MVMap<Object, Document> documents = copied(s, DATA + full + BSON, documents(), DATA + full);
            return new JournaledCollection(this, collection, options, documents, s.openMap(META + full), cursorRegistry,
                    opened().journal(), opened().barrier());
        }

        @Override
        public void dropCollection(String collection, Oplog oplog) {
            super.dropCollection(collection, oplog); // the library's maps
            String full = getFullCollectionNamespace(collection);
            store().removeMap(DATA + full + BSON);
            Journal j = opened().journal().get();
            if (j != null) {
                Lock shared = opened().barrier().readLock();
                shared.lock();
                try {
                    j.append(List.of(new Journal.Change(full, Journal.Kind.DROP, new byte[0])));
                } finally {
                    shared.unlock();
                }
            }
        }

        /**
         * Refused: the library renames only a collection's documents, not its indexes or size, so an
         * index would follow the old name (nothing here renames a collection).
         */
        @Override
        public void moveCollection(MongoDatabase from, MongoCollection<?> collection, String newName) {
            throw new IllegalOperationException("renameCollection is not supported by the embedded store");
        }

        @Override
        protected void dropIndex(MongoCollection<Object> collection, String index) {
            super.dropIndex(collection, index);
            store().removeMap(mapName(collection.getCollectionName(), index) + BSON);
        }
    }

    /** Index keys compared value by value. */
    static final class Keys extends StoredValues {

        @Override
        public int compare(Object a, Object b) {
            if (a instanceof KeyValue x && b instanceof KeyValue y) {
                int n = Math.min(x.size(), y.size());
                for (int i = 0; i < n; i++) {
                    int c = value(x.get(i), y.get(i));
                    if (c != 0) {
                        return c;
                    }
                }
                return Integer.compare(x.size(), y.size());
            }
            return super.compare(a, b);
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private int value(Object a, Object b) {
            if (a == b) {
                return 0;
            }
            if (a == null || b == null) {
                return a == null ? -1 : 1;
            }
            if (a.getClass() != b.getClass()) {
                return a.getClass().getName().compareTo(b.getClass().getName());
            }
            return a instanceof Comparable c ? c.compareTo(b) : super.compare(a, b);
        }
    }

    /** The library's H2 unique index over a map of our choosing (its own class cannot be made outside its package). */
    private static final class OrderedIndex extends AbstractUniqueIndex<Object> {

        private final MVMap<KeyValue, Object> map;

        OrderedIndex(MVMap<KeyValue, Object> map, String name, List<IndexKey> keys, boolean sparse) {
            super(name, keys, sparse);
            this.map = map;
        }

        @Override
        protected Object removeDocument(KeyValue key) {
            return map.remove(key);
        }

        @Override
        protected boolean putKeyPosition(KeyValue key, Object position) {
            return map.putIfAbsent(key, Missing.ofNullable(position)) == null;
        }

        @Override
        protected Iterable<Entry<KeyValue, Object>> getIterable() {
            return map.entrySet();
        }

        @Override
        protected Object getPosition(KeyValue key) {
            return map.get(key);
        }

        @Override
        public long getCount() {
            return map.sizeAsLong();
        }

        @Override
        public boolean isEmpty() {
            return map.isEmpty();
        }

        @Override
        public long getDataSize() {
            return getCount();
        }
    }
}
