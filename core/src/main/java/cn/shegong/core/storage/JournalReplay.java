package cn.shegong.core.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.NoopOplog;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import io.netty.buffer.Unpooled;

/**
 * Reads what a crash left in the {@link Journal}'s files and applies it to the embedded store, straight to its backend
 * (before any client can connect; indexes follow as for any write). The file holds the store as
 * at its last commit, which no write command straddles ({@link EmbeddedBackend#commitWhole}); the
 * journal holds every change since, and perhaps some before. For each document the journal names,
 * its last change wins: the document is removed, then its last version (if any) inserted. Removing
 * all of them before inserting any means no unique index sees two versions at once; and the
 * replay's own writes reach the file only in the commit that ends it, so a crash during it leaves
 * the file as it was, to be replayed again.
 */
final class JournalReplay {

    private static final int CHUNK = 1000;
    private static final Logger LOG = Logger.getLogger(JournalReplay.class.getName());

    private JournalReplay() {
    }

    /** A document's last change: its version, or null when it was removed. */
    private record Last(Object id, Document version) {
    }

    /** What a collection's changes come to: dropped or not, then each document's last change. */
    private static final class Outcome {
        boolean dropped;
        final Map<Object, Last> last = new LinkedHashMap<>(); // by _id as the store compares them (1, 1L and 1.0 are one)
    }

    /** Applies {@code changes}, oldest first; returns how many documents it put back or removed. */
    static int apply(EmbeddedBackend backend, List<Journal.Change> changes) {
        Map<String, Outcome> byCollection = new LinkedHashMap<>();
        for (Journal.Change c : changes) {
            Outcome o = byCollection.computeIfAbsent(c.namespace(), n -> new Outcome());
            Document d = c.kind() == Journal.Kind.DROP ? null : BsonDecoder.decodeBson(Unpooled.wrappedBuffer(c.bson()));
            switch (c.kind()) {
                case DROP -> {
                    o.dropped = true;
                    o.last.clear(); // what came before the drop went with it
                }
                case PUT -> o.last.put(key(d.get("_id")), new Last(d.get("_id"), d));
                case REMOVE -> o.last.put(key(d.get("_id")), new Last(d.get("_id"), null));
            }
        }
        int documents = 0;
        for (Map.Entry<String, Outcome> e : byCollection.entrySet()) {
            int dot = e.getKey().indexOf('.');
            MongoDatabase database = backend.resolveDatabase(e.getKey().substring(0, dot));
            String name = e.getKey().substring(dot + 1);
            Outcome o = e.getValue();
            if (o.dropped && database.resolveCollection(name, false) != null) {
                database.dropCollection(name, NoopOplog.get());
            }
            if (o.last.isEmpty()) {
                continue;
            }
            MongoCollection<?> collection = database.resolveCollection(name, false);
            if (collection == null) {
                collection = database.createCollectionOrThrowIfExists(name);
            }
            List<Last> all = new ArrayList<>(o.last.values());
            for (int i = 0; i < all.size(); i += CHUNK) {
                List<Object> ids = all.subList(i, Math.min(all.size(), i + CHUNK)).stream().map(Last::id).toList();
                collection.deleteDocuments(new Document("_id", new Document("$in", ids)), 0, NoopOplog.get());
            }
            List<Document> versions = all.stream().map(Last::version).filter(v -> v != null).toList();
            for (int i = 0; i < versions.size(); i += CHUNK) {
                List<Document> errors = collection.insertDocuments(versions.subList(i, Math.min(versions.size(), i + CHUNK)), true);
                if (!errors.isEmpty()) {
                    throw new StorageUnavailableException("the journal could not be applied to " + e.getKey() + ": " + errors.get(0));
                }
            }
            documents += all.size();
        }
        return documents;
    }

    /** What a crash left in the journal files of {@code dir}, oldest first; a record cut short or damaged ends its file. */
    static List<Journal.Change> leftOver(Path dir) {
        List<Journal.Change> changes = new ArrayList<>();
        for (long g : Journal.generations(dir)) {
            Path path = Journal.file(dir, g);
            ByteBuffer in;
            try {
                in = ByteBuffer.wrap(Files.readAllBytes(path));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the journal " + path, e);
            }
            if (in.remaining() < Journal.MAGIC.length) {
                continue; // created by a crash's last checkpoint, nothing in it yet
            }
            if (!in.slice(0, Journal.MAGIC.length).equals(ByteBuffer.wrap(Journal.MAGIC))) {
                throw new StorageUnavailableException(path + " is a journal of an earlier version: start that version once"
                        + " on this folder (it applies its journal and removes it), then this one");
            }
            in.position(Journal.MAGIC.length);
            read(path, in, changes);
        }
        return changes;
    }

    private static void read(Path path, ByteBuffer in, List<Journal.Change> into) {
        Journal.Kind[] kinds = Journal.Kind.values();
        while (in.remaining() >= 4) {
            int length = in.getInt();
            if (length < 5 || length > in.remaining() - 4) {
                LOG.warning(() -> path.getFileName() + " ends in a record cut short (never acknowledged): ignored");
                return;
            }
            int crc = in.getInt();
            ByteBuffer body = in.slice(in.position(), length);
            in.position(in.position() + length);
            CRC32C check = new CRC32C();
            check.update(body.duplicate());
            int kind = body.get();
            int nameLength = body.getInt();
            if ((int) check.getValue() != crc || kind < 0 || kind >= kinds.length || nameLength < 0 || nameLength > length - 5) {
                LOG.warning(() -> path.getFileName() + " holds a damaged record: the rest of it ignored");
                return;
            }
            byte[] name = new byte[nameLength];
            body.get(name);
            byte[] bson = new byte[body.remaining()];
            body.get(bson);
            into.add(new Journal.Change(new String(name, StandardCharsets.UTF_8), kinds[kind], bson));
        }
    }

    private static Object key(Object id) {
        return id instanceof Number n ? Utils.normalizeNumber(n) : id;
    }
}
