package cn.shegong.core.storage;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.MVMap;

/**
 * A collection of the embedded store that finds a document by its key also when the query asks
 * more of it. The library uses a unique index only for a query on exactly that index's fields, so
 * a query on {@code _id} and a condition more read every document of the collection (a worker's
 * first contact with a request, {@code {_id, firstContactAt: {$exists: false}}}, read every
 * request), unless a unique index of that very shape was made for it. Here, when a query names each
 * field of a unique index with a plain value, that index gives the one candidate and the whole query
 * is matched against it, as MongoDB would plan it: a document the query matches has that value.
 * <p>
 * The documents each scan looks at are counted ({@code scanned}), so what is left of trap 13 on
 * the hot path shows ({@code shegong_embedded_documents_scanned_total}).
 */
class IndexedCollection extends H2Collection {

    /** Gives null while the store is being made (as the write barrier does): nothing is counted then. */
    private final Supplier<LongAdder> scanned;

    IndexedCollection(MongoDatabase database, String name, CollectionOptions options, MVMap<Object, Document> documents,
                      MVMap<String, Object> meta, CursorRegistry cursors, Supplier<LongAdder> scanned) {
        super(database, name, options, documents, meta, cursors);
        this.scanned = scanned;
    }

    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit, int batchSize, Document fields) {
        for (Index<Object> index : getIndexes()) {
            Document key = keyOf(query, index);
            if (key != null && index.canHandle(key)) {
                return matchDocuments(query, index.getPositions(key), orderBy, skip, limit, batchSize, fields);
            }
        }
        return super.queryDocuments(query, orderBy, skip, limit, batchSize, fields);
    }

    /**
     * The query's values of the index's fields, at its top level or in a top-level {@code $and}
     * (as the driver's {@code Filters.and} writes it), each a plain value; null if any is missing
     * or is an operator, a pattern, a list or null.
     */
    private static Document keyOf(Document query, Index<Object> index) {
        Document key = new Document();
        for (IndexKey k : index.getKeys()) {
            Object v = equalTo(query, k.getKey());
            if (v == null || v instanceof Document || v instanceof Collection || v instanceof Pattern
                    || BsonRegularExpression.isRegularExpression(v)) {
                return null;
            }
            key.put(k.getKey(), v);
        }
        return key;
    }

    private static Object equalTo(Document query, String field) {
        if (query.containsKey(field)) {
            return query.get(field);
        }
        if (query.get("$and") instanceof List<?> all) {
            for (Object condition : all) {
                if (condition instanceof Document d && d.containsKey(field)) {
                    return d.get(field);
                }
            }
        }
        return null;
    }

    /** A query no index answers: every document is looked at (fewer only when a limit is reached early). */
    @Override
    protected QueryResult matchDocuments(Document query, Document orderBy, int skip, int limit, int batchSize, Document fields) {
        LongAdder counter = scanned.get();
        if (counter != null) {
            counter.add(count());
        }
        return super.matchDocuments(query, orderBy, skip, limit, batchSize, fields);
    }
}
