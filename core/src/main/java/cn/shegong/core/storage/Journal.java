package cn.shegong.core.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import com.mongodb.MongoClientSettings;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.Codec;

/**
 * The embedded store's journal: documents just inserted that must survive a crash of the process
 * before the store's next commit of its file. Committing the file writes every page changed since
 * the last commit (about a millisecond under load, for every group of messages); appending the
 * group's documents here is one write. Every second, and at close, the file is committed and the
 * journal dropped; at start, what a crash left here is inserted again ({@link #leftOver}).
 * <p>
 * Like the file's own commits, a write reaches the operating system, not necessarily the disk: it
 * survives the process's crash, not the machine's (production runs a MongoDB replica set with
 * journaled majority writes). The journal is a series of files {@code mongo.journal.N}: a
 * checkpoint opens the next one, commits the store, then deletes the earlier ones. Records are
 * {@code [length][crc][namespace][BSON]}; a record cut short or damaged ends its file (it was never
 * acknowledged: a failed append is cut off again before its caller hears of the failure).
 * <p>
 * Replaying inserts, never overwrites, so it is right for documents that are only inserted and
 * then changed in place, never deleted (messages); a collection whose documents are deleted must not
 * be journaled, or a replay could bring back a deleted one.
 */
final class Journal implements AutoCloseable {

    static final String PREFIX = "mongo.journal.";
    private static final Duration CHECKPOINT_EVERY = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(Journal.class.getName());
    private static final Codec<Document> CODEC = MongoClientSettings.getDefaultCodecRegistry().get(Document.class);

    /** A document a crash left in the journal, and where it belongs ({@code database.collection}). */
    record Entry(String namespace, RawBsonDocument document) {
    }

    private final Path dir;
    private final Runnable commit;
    private final ReentrantLock lock = new ReentrantLock();
    private final ReentrantLock checkpointing = new ReentrantLock();
    /** Counted down by {@link #close}: the checkpointer is woken, never interrupted (an interrupt closes a file channel in use). */
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread checkpointer;
    private FileChannel current; // guarded by lock
    private long generation; // guarded by lock
    private boolean written; // guarded by lock
    private volatile boolean open = true;

    /**
     * Starts a journal file in {@code dir} after any there ({@link #leftOver} them first);
     * {@code commit}: commits the store's file and returns once it is written.
     */
    Journal(Path dir, Runnable commit) {
        this(dir, commit, CHECKPOINT_EVERY);
    }

    /** As above, checkpointing every {@code every} (tests: long enough never to run on its own). */
    Journal(Path dir, Runnable commit, Duration every) {
        this.dir = dir;
        this.commit = commit;
        this.generation = generations(dir).stream().mapToLong(Long::longValue).max().orElse(0) + 1;
        this.current = create(dir, generation);
        this.checkpointer = Thread.ofVirtual().name("shegong-journal").start(() -> run(every));
    }

    /** Appends {@code documents} of {@code namespace}; returns when the operating system holds them. */
    void append(String namespace, List<Document> documents) {
        if (documents.isEmpty()) {
            return;
        }
        byte[] name = namespace.getBytes(StandardCharsets.UTF_8);
        List<ByteBuffer> records = new ArrayList<>(documents.size());
        int size = 0;
        for (Document d : documents) {
            ByteBuffer bson = new RawBsonDocument(d, CODEC).getByteBuffer().asNIO();
            ByteBuffer body = ByteBuffer.allocate(4 + name.length + bson.remaining()).putInt(name.length).put(name).put(bson).flip();
            CRC32C crc = new CRC32C();
            crc.update(body.duplicate());
            ByteBuffer record = ByteBuffer.allocate(8 + body.remaining()).putInt(body.remaining()).putInt((int) crc.getValue()).put(body).flip();
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
            if (!current.isOpen()) {
                startNext(); // after a failed append: a record cut short there ends that file, so go on in the next
            }
            try {
                while (all.hasRemaining()) {
                    current.write(all);
                }
            } catch (IOException e) {
                close(current); // kept, with what it held, until the next commit
                throw e;
            }
            written = true;
        } catch (IOException | UncheckedIOException e) {
            throw new StorageUnavailableException("the journal could not be written: " + e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Commits the store's file and drops what the journal held before: the next journal file is
     * opened first, so whatever is appended meanwhile waits for the next commit.
     */
    void checkpoint() {
        checkpointing.lock();
        try {
            long kept;
            lock.lock();
            try {
                boolean earlier = generations(dir).stream().anyMatch(g -> g < generation); // a failed commit's
                if (!open || !written && !earlier) {
                    return;
                }
                if (written) {
                    startNext();
                }
                kept = generation;
            } finally {
                lock.unlock();
            }
            commit.run();
            for (long g : generations(dir)) {
                if (g < kept) {
                    Files.delete(file(dir, g));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("journal checkpoint failed", e);
        } finally {
            checkpointing.unlock();
        }
    }

    /** Goes on in the next journal file; the current one stays until a commit holds what it has. Under {@link #lock}. */
    private void startNext() {
        FileChannel next = create(dir, generation + 1); // may fail: then nothing has changed
        close(current);
        current = next;
        generation++;
        written = false;
    }

    private void run(Duration every) {
        while (open) {
            try {
                if (closing.await(every.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
                checkpoint();
            } catch (InterruptedException e) {
                return;
            } catch (Throwable e) { // the journal must not grow unchecked because its checkpointer died
                LOG.log(Level.SEVERE, "journal checkpoint failed; retried in " + every.toMillis() + " ms", e);
            }
        }
    }

    /** Stops appending and checkpointing; {@link #drop} once the store's file is closed (committed). */
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
            close(current);
        } finally {
            lock.unlock();
        }
    }

    /** Deletes the journal files of {@code dir}: the store's file holds everything in them. */
    static void drop(Path dir) {
        try {
            for (long g : generations(dir)) {
                Files.deleteIfExists(file(dir, g));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the journal in " + dir, e);
        }
    }

    /** What a crash left in the journal files of {@code dir}, oldest first; a record cut short or damaged ends its file. */
    static List<Entry> leftOver(Path dir) {
        List<Entry> entries = new ArrayList<>();
        for (long g : generations(dir)) {
            Path path = file(dir, g);
            ByteBuffer in;
            try {
                in = ByteBuffer.wrap(Files.readAllBytes(path));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the journal " + path, e);
            }
            while (in.remaining() >= 4) {
                int length = in.getInt();
                if (length < 4 || length > in.remaining() - 4) {
                    LOG.warning(() -> path.getFileName() + " ends in a record cut short (never acknowledged): ignored");
                    break;
                }
                int crc = in.getInt();
                ByteBuffer body = in.slice(in.position(), length);
                in.position(in.position() + length);
                CRC32C check = new CRC32C();
                check.update(body.duplicate());
                int nameLength = body.getInt();
                if ((int) check.getValue() != crc || nameLength < 0 || nameLength > length - 4) {
                    LOG.warning(() -> path.getFileName() + " holds a damaged record: the rest of it ignored");
                    break;
                }
                byte[] name = new byte[nameLength];
                body.get(name);
                byte[] bson = new byte[body.remaining()];
                body.get(bson);
                entries.add(new Entry(new String(name, StandardCharsets.UTF_8), new RawBsonDocument(bson)));
            }
        }
        return entries;
    }

    /** The journal files' numbers in {@code dir}, oldest first. */
    private static List<Long> generations(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(PREFIX) && n.substring(PREFIX.length()).matches("\\d{1,18}"))
                    .map(n -> Long.parseLong(n.substring(PREFIX.length()))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static Path file(Path dir, long generation) {
        return dir.resolve(PREFIX + generation);
    }

    private static FileChannel create(Path dir, long generation) {
        try {
            return FileChannel.open(file(dir, generation), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the journal " + file(dir, generation), e);
        }
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing a journal file failed", e);
        }
    }
}
