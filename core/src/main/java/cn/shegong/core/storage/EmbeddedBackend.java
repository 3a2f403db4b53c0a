package cn.shegong.core.storage;

import java.util.List;
import java.util.Map.Entry;
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
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ObjectDataType;

/**
 * The embedded store (mongo-java-server's H2 backend) with its documents kept as BSON
 * ({@link BsonDocuments}) and its unique indexes — {@code _id} and every unique one, the only
 * indexes it has — compared value by value. Both under new map names: a collection or index
 * in the library's format is copied into its new map when the store opens and then removed (a
 * crash before the removal copies it again).
 * <p>
 * The indexes: the library keeps each
 * index as an MVMap keyed by its {@code KeyValue}, which is not {@code Comparable}, so H2 orders
 * those keys by their Java-serialised bytes and serialises both sides of every comparison of
 * every lookup and insert: 12 % of the service's CPU under the webhook bench (docs/benchmarks.md).
 * <p>
 * Here the keys are written and read exactly as before; only the order differs: value by value,
 * by {@code compareTo} where both are of one {@code Comparable} class, else by class name, else
 * (documents, lists) by the serialised bytes as before. Two keys are the same key exactly when
 * their values are equal, as before.
 */
final class EmbeddedBackend extends H2Backend {

    private static final Logger LOG = Logger.getLogger(EmbeddedBackend.class.getName());
    /** Appended to the library's map name of an index kept in this order. */
    static final String ORDERED = "#ordered";
    /** Appended to the library's map name of a collection's documents kept as BSON. */
    static final String BSON = "#bson";
    /** The library's prefixes of a collection's documents and of its size (its own are not visible). */
    private static final String DATA = "databases.", META = "meta.";

    EmbeddedBackend(MVStore store) {
        super(store);
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return Database.open(databaseName, getMvStore(), getCursorRegistry());
    }

    private static final class Database extends H2Database {

        /** The library opens a database's indexes inside its constructor, before {@link #store} is set. */
        private static final ThreadLocal<MVStore> OPENING = new ThreadLocal<>();
        private final MVStore store;

        static Database open(String name, MVStore store, CursorRegistry cursors) {
            OPENING.set(store);
            try {
                return new Database(name, store, cursors);
            } finally {
                OPENING.remove();
            }
        }

        private Database(String name, MVStore store, CursorRegistry cursors) {
            super(name, store, cursors);
            this.store = store;
        }

        private MVStore store() {
            return store != null ? store : OPENING.get();
        }

        private String mapName(String collection, String index) {
            return getFullCollectionNamespace(collection) + "._index_" + index; // the library's own name
        }

        @Override
        protected Index<Object> openOrCreateUniqueIndex(String collection, String index, List<IndexKey> keys, boolean sparse) {
            MVMap<KeyValue, Object> map = copiedFromLibrary(store(), mapName(collection, index), ORDERED,
                    new MVMap.Builder<KeyValue, Object>().keyType(new Keys()));
            return new OrderedIndex(map, index, keys, sparse);
        }

        private static MVMap.Builder<Object, Document> bsonValues() {
            return new MVMap.Builder<Object, Document>().valueType(BsonDocuments.INSTANCE);
        }

        /** The map {@code library + suffix}, opened with {@code builder}; the library's own map of that name copied into it once. */
        private static <K, V> MVMap<K, V> copiedFromLibrary(MVStore s, String library, String suffix, MVMap.Builder<K, V> builder) {
            MVMap<K, V> map = s.openMap(library + suffix, builder);
            if (s.hasMap(library)) {
                map.clear(); // a copy a crash interrupted
                map.putAll(s.<K, V>openMap(library));
                s.removeMap(library);
                LOG.info(() -> library + " copied to " + library + suffix + " (" + map.size() + " entries)");
            }
            return map;
        }

        @Override
        protected MongoCollection<Object> openOrCreateCollection(String collection, CollectionOptions options) {
            MVStore s = store();
            String full = getFullCollectionNamespace(collection);
            MVMap<Object, Document> documents = copiedFromLibrary(s, DATA + full, BSON, bsonValues());
            return new H2Collection(this, collection, options, documents, s.openMap(META + full), cursorRegistry);
        }

        @Override
        public void dropCollection(String collection, Oplog oplog) {
            super.dropCollection(collection, oplog); // the library's maps
            store().removeMap(DATA + getFullCollectionNamespace(collection) + BSON);
        }

        @Override
        public void moveCollection(MongoDatabase from, MongoCollection<?> collection, String newName) {
            MVStore s = store();
            MVMap<Object, Document> documents = s.openMap(DATA + collection.getFullName() + BSON, bsonValues());
            super.moveCollection(from, collection, newName); // renames the library's (here empty) map
            String renamed = DATA + getFullCollectionNamespace(newName);
            s.removeMap(renamed);
            s.renameMap(documents, renamed + BSON);
        }

        @Override
        protected void dropIndex(MongoCollection<Object> collection, String index) {
            super.dropIndex(collection, index);
            store().removeMap(mapName(collection.getCollectionName(), index) + ORDERED);
        }
    }

    /** Index keys written and read as the library writes them, compared value by value. */
    static final class Keys extends ObjectDataType {

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
