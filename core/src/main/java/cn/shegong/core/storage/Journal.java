package cn.shegong.core.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.mongodb.MongoClientSettings;
import org.bson.RawBsonDocument;
import org.bson.codecs.Codec;
import org.bson.Document;

/**
 * The embedded store's journal: documents just inserted that must survive a crash of the process
 * before the store's next commit of its file. Committing the file writes every page changed since
 * the last commit (about a millisecond under load, for every group of messages); appending the
 * group's documents here is one write. Every second, and at close, the file is committed and the
 * journal dropped; at start, what a crash left here is inserted again ({@link #leftOver}).
 * <p>
 * Like the file's own commits, a write reaches the operating system, not necessarily the disk: it
 * survives the process's crash, not the machine's (production runs a MongoDB replica set with
 * journaled majority writes). Records are {@code [length][collection][BSON]}; a record cut short by
 * a crash was never acknowledged and is ignored.
 */
final class Journal implements AutoCloseable {

    static final String FILE = "mongo.journal";
    /** The journal being dropped: written before the commit under way, deleted after it. */
    static final String COMMITTING = "mongo.journal.1";
    private static final Duration CHECKPOINT_EVERY = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(Journal.class.getName());
    private static final Codec<Document> CODEC = MongoClientSettings.getDefaultCodecRegistry().get(Document.class);

    /** A document a crash left in the journal. */
    record Entry(String collection, RawBsonDocument document) {
    }

    private final Path dir;
    private final Runnable commit;
    private final ReentrantLock lock = new ReentrantLock();
    private final ReentrantLock checkpointing = new ReentrantLock();
    private final Thread checkpointer;
    /** Counted down by {@link #close}: the checkpointer is woken, never interrupted (an interrupt closes a file channel in use). */
    private final CountDownLatch closing = new CountDownLatch(1);
    private FileChannel current; // guarded by lock
    private boolean written; // guarded by lock
    private volatile boolean open = true;

    /** Starts an empty journal in {@code dir}: call {@link #leftOver} and apply it first. {@code commit}: commits the store's file. */
    Journal(Path dir, Runnable commit) {
        this.dir = dir;
        this.commit = commit;
        this.current = create(dir.resolve(FILE));
        this.checkpointer = Thread.ofVirtual().name("shegong-journal").start(this::run);
    }

    /** Appends {@code documents} of {@code collection}; returns when the operating system holds them. */
    void append(String collection, List<Document> documents) {
        byte[] name = collection.getBytes(StandardCharsets.UTF_8);
        List<ByteBuffer> records = new ArrayList<>(documents.size());
        int size = 0;
        for (Document d : documents) {
            ByteBuffer bson = new RawBsonDocument(d, CODEC).getByteBuffer().asNIO();
            ByteBuffer record = ByteBuffer.allocate(8 + name.length + bson.remaining());
            record.putInt(4 + name.length + bson.remaining()).putInt(name.length).put(name).put(bson).flip();
            records.add(record);
            size += record.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        records.forEach(all::put);
        all.flip();
        lock.lock();
        try {
            if (!open) {
                throw new StorageUnavailableException("the store is closing");
            }
            while (all.hasRemaining()) {
                current.write(all);
            }
            written = true;
        } catch (IOException e) {
            throw new StorageUnavailableException("the journal could not be written: " + e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Commits the store's file and drops what the journal held before: the journal is set aside
     * first, so whatever is appended meanwhile goes to a new one and waits for the next commit.
     */
    void checkpoint() {
        checkpointing.lock();
        try {
            Path committing = dir.resolve(COMMITTING);
            if (!Files.exists(committing)) { // else a commit failed last time: commit again, then drop it
                lock.lock();
                try {
                    if (!written) {
                        return;
                    }
                    current.close();
                    Files.move(dir.resolve(FILE), committing, StandardCopyOption.ATOMIC_MOVE);
                    current = create(dir.resolve(FILE));
                    written = false;
                } finally {
                    lock.unlock();
                }
            }
            commit.run();
            Files.delete(committing);
        } catch (IOException e) {
            throw new UncheckedIOException("journal checkpoint failed", e);
        } finally {
            checkpointing.unlock();
        }
    }

    private void run() {
        while (open) {
            try {
                if (closing.await(CHECKPOINT_EVERY.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
                checkpoint();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "journal checkpoint failed; retried in a second", e);
            }
        }
    }

    /** Stops appending and checkpointing; {@link #drop} after the store's file is closed (committed). */
    @Override
    public void close() {
        open = false;
        closing.countDown();
        try {
            checkpointer.join(CHECKPOINT_EVERY.multipliedBy(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            current.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing the journal failed", e);
        } finally {
            lock.unlock();
        }
    }

    /** Deletes the journal files of {@code dir}: the store's file holds everything in them. */
    static void drop(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(COMMITTING));
            Files.deleteIfExists(dir.resolve(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the journal in " + dir, e);
        }
    }

    /** What a crash left in the journal files of {@code dir}, oldest first; a record cut short ends its file. */
    static List<Entry> leftOver(Path dir) {
        List<Entry> entries = new ArrayList<>();
        for (String file : List.of(COMMITTING, FILE)) {
            Path path = dir.resolve(file);
            if (!Files.exists(path)) {
                continue;
            }
            ByteBuffer in;
            try {
                in = ByteBuffer.wrap(Files.readAllBytes(path));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the journal " + path, e);
            }
            while (in.remaining() >= 4) {
                int length = in.getInt();
                if (length < 4 || length > in.remaining()) {
                    LOG.warning(() -> "the journal " + file + " ends in a record cut short (never acknowledged): ignored");
                    break;
                }
                int nameLength = in.getInt();
                if (nameLength < 0 || nameLength > length - 4) {
                    LOG.warning(() -> "the journal " + file + " holds a damaged record: the rest of it ignored");
                    break;
                }
                byte[] name = new byte[nameLength];
                in.get(name);
                byte[] bson = new byte[length - 4 - name.length];
                in.get(bson);
                entries.add(new Entry(new String(name, StandardCharsets.UTF_8), new RawBsonDocument(bson)));
            }
        }
        return entries;
    }

    private static FileChannel create(Path path) {
        try {
            return FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the journal " + path, e);
        }
    }
}
