package cn.shegong.core.storage;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.function.Supplier;
import java.util.logging.Logger;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.IllegalOperationException;
import de.bwaldvogel.mongo.oplog.Oplog;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import static cn.shegong.core.storage.EmbeddedBackend.BSON;
import static cn.shegong.core.storage.EmbeddedBackend.ORDERED;

/**
 * A database of the embedded store ({@link EmbeddedBackend}): its collections journal every
 * change ({@link JournaledCollection}), its maps are in this store's formats (documents as BSON,
 * unique indexes ordered by value), and a change to its collections or indexes runs as one write
 * command under the store's write barrier.
 */
final class EmbeddedDatabase extends H2Database {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class.getName());
    /** The library's prefixes of a collection's documents and of its size (its own are not visible). */
    private static final String DATA = "databases.", META = "meta.";

    /**
     * What a database's maps live in, where its changes are journaled (null: nowhere yet), its
     * write barrier (null while the store is being made: H2Backend opens the databases in its file
     * inside its constructor, before this class's fields are set), and the count of documents its
     * scans looked at ({@link IndexedCollection}).
     */
    record Opened(MVStore store, Supplier<Journal> journal, Supplier<ReadWriteLock> barrier, Supplier<LongAdder> scanned) {
    }

    /** The library opens a database's collections and indexes inside its constructor, before {@link #opened} is set. */
    private static final ThreadLocal<Opened> OPENING = new ThreadLocal<>();
    private final Opened opened;

    static EmbeddedDatabase open(String name, Opened opened, CursorRegistry cursors) {
        OPENING.set(opened);
        try {
            return new EmbeddedDatabase(name, opened, cursors);
        } finally {
            OPENING.remove();
        }
    }

    private EmbeddedDatabase(String name, Opened opened, CursorRegistry cursors) {
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
                new MVMap.Builder<KeyValue, Object>().keyType(new EmbeddedBackend.Keys()).valueType(new StoredValues()), library, library + ORDERED);
        return new EmbeddedBackend.OrderedIndex(map, index, keys, sparse);
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
                opened().journal(), opened().barrier(), opened().scanned());
    }

    /**
     * Runs a change to the database's collections or indexes as one write command: under the
     * store's write barrier (so no commit holds half of it) and this database's lock (so a
     * collection's drop and its making again are journaled in the order they happened).
     */
    private <T> T whole(Supplier<T> change) {
        ReadWriteLock barrier = opened().barrier().get();
        if (barrier == null) {
            return change.get(); // the store opening its file
        }
        Lock shared = barrier.readLock();
        shared.lock();
        try {
            synchronized (this) {
                return change.get();
            }
        } finally {
            shared.unlock();
        }
    }

    private void whole(Runnable change) {
        whole(() -> {
            change.run();
            return null;
        });
    }

    @Override
    protected MongoCollection<Object> resolveOrCreateCollection(String collection) {
        MongoCollection<Object> existing = resolveCollection(collection, false);
        return existing != null ? existing : whole(() -> super.resolveOrCreateCollection(collection));
    }

    @Override
    public MongoCollection<Object> createCollectionOrThrowIfExists(String collection, CollectionOptions options) {
        return whole(() -> super.createCollectionOrThrowIfExists(collection, options));
    }

    @Override
    protected void addIndex(Document description) {
        whole(() -> super.addIndex(description));
    }

    @Override
    public void drop(Oplog oplog) {
        whole(() -> super.drop(oplog));
    }

    @Override
    public void dropCollection(String collection, Oplog oplog) {
        whole(() -> {
            super.dropCollection(collection, oplog); // the library's maps
            String full = getFullCollectionNamespace(collection);
            store().removeMap(DATA + full + BSON);
            Journal j = opened().journal().get();
            if (j != null) {
                j.append(List.of(new Journal.Change(full, Journal.Kind.DROP, new byte[0])));
            }
        });
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
        whole(() -> {
            super.dropIndex(collection, index);
            store().removeMap(mapName(collection.getCollectionName(), index) + BSON);
        });
    }
}
