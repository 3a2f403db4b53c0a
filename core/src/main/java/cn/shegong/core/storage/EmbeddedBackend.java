package cn.shegong.core.storage;

import java.util.List;
import java.util.Map.Entry;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
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
 * ({@link #journalTo}, {@link JournaledCollection}), and the file is committed only between write
 * commands ({@link #commitWhole}).</li>
 * </ul>
 * A collection's documents and its indexes are kept under the library's map names with
 * {@link #BSON} appended (its size, a number, as before). A map of an earlier format (the library's,
 * or an index of ours in {@link #ORDERED}) is merged into its new map when the store opens and then
 * removed; a crash before the removal merges it again.
 */
final class EmbeddedBackend extends H2Backend {

    /** Appended to the library's map name of a map in this format. */
    static final String BSON = "#bson";
    /** Appended to the library's map name of an index of an earlier format: ordered by value, Java-serialised. */
    static final String ORDERED = "#ordered";

    /**
     * After each commit the file's least-filled chunks are rewritten, about as many bytes as the
     * commit wrote (within these bounds), so the file grows with the data, not with its churn: H2's
     * own housekeeping did this on its background thread, switched off with its commits.
     */
    private static final int COMPACT_FILL_PERCENT = 60;
    private static final int COMPACT_MIN_BYTES = 1 << 20;
    private static final int COMPACT_MAX_BYTES = 32 << 20;

    private volatile Journal journal;
    /** Shared by every write command ({@link JournaledCollection}), taken whole by {@link #commitWhole}. */
    private final ReentrantReadWriteLock barrier = new ReentrantReadWriteLock();
    /** Documents looked at by queries no index answered, in every collection ({@link IndexedCollection}). */
    private final LongAdder scanned = new LongAdder();

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
            MVStore store = getMvStore();
            int written = store.getUnsavedMemory(); // what this commit is about to write, roughly
            commitWritten();
            store.executeFilestoreOperation(store.getFileStore()::dropUnusedChunks); // chunks nothing lives in any more, past their retention
            store.compact(COMPACT_FILL_PERCENT, Math.clamp(written, COMPACT_MIN_BYTES, COMPACT_MAX_BYTES));
        } finally {
            whole.unlock();
        }
    }

    /** Closes the file without committing what changed since its last commit (a replay that failed half-way). */
    void abandon() {
        getMvStore().closeImmediately();
    }

    /** Documents looked at by scans so far, in every collection. */
    long documentsScanned() {
        return scanned.sum();
    }

    /** The write barrier (tests). */
    ReentrantReadWriteLock barrier() {
        return barrier;
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
        return EmbeddedDatabase.open(databaseName, new EmbeddedDatabase.Opened(getMvStore(), () -> journal, () -> barrier, () -> scanned), getCursorRegistry());
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
    static final class OrderedIndex extends AbstractUniqueIndex<Object> {

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
