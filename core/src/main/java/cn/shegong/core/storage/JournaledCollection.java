package cn.shegong.core.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.function.Supplier;
import java.util.stream.Stream;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.h2.mvstore.MVMap;

/**
 * A collection of the embedded store whose every change to a document is appended to the
 * {@link Journal} before the command that made it is answered: the document's new version, or its
 * removal. The changes of one command (an insert of a group of messages, an update of several
 * documents) are appended together, in one write.
 * <p>
 * Each command that writes holds the store's write barrier shared, so the file's commit (which
 * takes it whole, {@link EmbeddedBackend#commitWhole}) never holds half a command — a document
 * without its index entries. The barrier is taken before the collection's lock (the library's
 * {@code synchronized} methods), always in that order.
 * <p>
 * The library's own lists of a database's collections and indexes ({@code system.*}) are not
 * journaled: a collection is made again by its first write, and the service makes its indexes
 * when it starts.
 */
final class JournaledCollection extends IndexedCollection {

    private final String namespace;
    private final boolean system;
    private final Supplier<Journal> journal;
    private final Supplier<ReadWriteLock> barrier;
    private final List<Journal.Change> changes = new ArrayList<>(); // guarded by this
    private int depth; // commands under way on this thread, nested; guarded by this

    /**
     * {@code journal}: the journal to append to, or null while there is none (a replay at start);
     * {@code barrier}: the store's write barrier, null while the store is being made (it opens the
     * databases in its file inside its constructor).
     */
    JournaledCollection(MongoDatabase database, String name, CollectionOptions options, MVMap<Object, Document> documents,
                        MVMap<String, Object> meta, CursorRegistry cursors, Supplier<Journal> journal,
                        Supplier<ReadWriteLock> barrier, Supplier<LongAdder> scanned) {
        super(database, name, options, documents, meta, cursors, scanned);
        this.namespace = database.getDatabaseName() + "." + name;
        this.system = name.startsWith("system.");
        this.journal = journal;
        this.barrier = barrier;
    }

    // each change is encoded before it is made: a document the journal cannot hold is refused, not stored half-way

    @Override
    protected Object addDocumentInternal(Document document) {
        Journal.Change change = change(Journal.Kind.PUT, document);
        Object position = super.addDocumentInternal(document);
        changed(change);
        return position;
    }

    @Override
    protected void handleUpdate(Object position, Document old, Document updated) {
        Journal.Change change = change(Journal.Kind.PUT, updated);
        super.handleUpdate(position, old, updated);
        changed(change);
    }

    @Override
    protected void removeDocument(Object position) {
        Object id = position instanceof Missing ? null : position; // the library keys a document by its _id
        Journal.Change change = change(Journal.Kind.REMOVE, new Document(getIdField(), id));
        super.removeDocument(position);
        changed(change);
    }

    // every command that writes: its changes are appended once it has made them, before it returns

    @Override
    public List<Document> insertDocuments(List<Document> documents, boolean ordered) {
        return journaled(() -> super.insertDocuments(documents, ordered));
    }

    @Override
    public Document updateDocuments(Document selector, Document update, ArrayFilters filters, boolean multi,
                                    boolean upsert, Oplog oplog) {
        return journaled(() -> super.updateDocuments(selector, update, filters, multi, upsert, oplog));
    }

    @Override
    public Document findAndModify(Document query) {
        return journaled(() -> super.findAndModify(query));
    }

    @Override
    public int deleteDocuments(Document selector, int limit, Oplog oplog) {
        return journaled(() -> super.deleteDocuments(selector, limit, oplog));
    }

    @Override
    public void addDocument(Document document) {
        journaled(() -> super.addDocument(document));
    }

    @Override
    public void addDocuments(Stream<Document> documents) {
        journaled(() -> super.addDocuments(documents));
    }

    @Override
    public void removeDocument(Document document) {
        journaled(() -> super.removeDocument(document));
    }

    @Override
    public void addIndex(Index<Object> index) {
        journaled(() -> super.addIndex(index));
    }

    @Override
    public void dropIndex(String name) {
        journaled(() -> super.dropIndex(name));
    }

    private void journaled(Runnable command) {
        journaled(() -> {
            command.run();
            return null;
        });
    }

    /** Runs a command; the outermost appends what it changed, also when it fails part way (what it did is done). */
    private <T> T journaled(Supplier<T> command) {
        ReadWriteLock b = barrier == null ? null : barrier.get();
        if (b == null) { // the library's constructor adding the _id index before this one's fields are set, or the store's
            return command.get();
        }
        Journal j = journal.get();
        if (j != null) {
            j.requireAppending(); // refused before anything is changed, not after
        }
        Lock shared = b.readLock();
        shared.lock();
        try {
            synchronized (this) {
                depth++;
                try {
                    return command.get();
                } finally {
                    if (--depth == 0) {
                        append();
                    }
                }
            }
        } finally {
            shared.unlock();
        }
    }

    /** The change, encoded; null when nothing is journaled. */
    private Journal.Change change(Journal.Kind kind, Document document) {
        if (system || journal.get() == null) {
            return null;
        }
        ByteBuf bytes = Unpooled.buffer(256);
        BsonEncoder.encodeDocument(document, bytes);
        return new Journal.Change(namespace, kind, ByteBufUtil.getBytes(bytes));
    }

    private void changed(Journal.Change change) {
        if (change == null) {
            return;
        }
        changes.add(change);
        if (depth == 0) {
            append(); // a change outside the commands above (none the library makes today)
        }
    }

    private void append() {
        if (changes.isEmpty()) {
            return;
        }
        try {
            Journal j = journal.get();
            if (j != null) {
                j.append(changes);
            }
        } finally {
            changes.clear();
        }
    }
}
