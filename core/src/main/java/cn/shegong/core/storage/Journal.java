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
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import org.bson.RawBsonDocument;

/**
 * The embedded store's journal: every change to a document since the store last committed its
 * file, appended before the write is acknowledged, so that an acknowledged write survives a crash
 * of the process. Committing the file writes every page changed since the last commit; appending
 * the changes is one write. Every second, and at close, the file is committed and the journal
 * dropped; at start, what a crash left here is read back and applied again ({@link JournalReplay}).
 * <p>
 * Like the file's own commits, a write reaches the operating system, not necessarily the disk: it
 * survives the process's crash, not the machine's (production runs a MongoDB replica set with
 * journaled majority writes). The journal is a series of files {@code mongo.journal.N}, each
 * beginning with {@link #MAGIC}: a checkpoint opens the next one, commits the store, then deletes
 * the earlier ones. Records are {@code [length][crc][kind][namespace][BSON]}; a record cut short or
 * damaged ends its file (it was never acknowledged). After a failed append, appends are refused
 * until the next commit holds the change it left out; the journal then goes on in a new file.
 * <p>
 * A change is a document's whole new version, its removal or a collection's drop, never an
 * operator such as {@code $inc}: applying a change again gives the same document, so a replay is
 * right whatever part of the journal the file already holds.
 */
final class Journal implements AutoCloseable {

    static final String PREFIX = "mongo.journal.";
    /** The first bytes of a journal file of this format (an earlier one held inserts only, without it). */
    static final byte[] MAGIC = "SGJOURN2".getBytes(StandardCharsets.US_ASCII);
    static final Duration CHECKPOINT_EVERY = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(Journal.class.getName());

    enum Kind {
        /** {@code bson} is the document as it now is. */
        PUT,
        /** {@code bson} is {@code {_id: …}} of the document removed. */
        REMOVE,
        /** The collection was dropped; {@code bson} is empty. */
        DROP
    }

    /** One change to {@code namespace} ({@code database.collection}). */
    record Change(String namespace, Kind kind, byte[] bson) {

        RawBsonDocument document() {
            return new RawBsonDocument(bson);
        }
    }

    private final Path dir;
    private final Runnable commit;
    private final BooleanSupplier unsaved;
    private final ReentrantLock lock = new ReentrantLock();
    private final ReentrantLock checkpointing = new ReentrantLock();
    /** Counted down by {@link #stopCheckpoints}: the checkpointer is woken, never interrupted (an interrupt closes a file channel in use). */
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread checkpointer;
    private FileChannel current; // guarded by lock
    private long generation; // guarded by lock
    private boolean written; // guarded by lock
    private volatile boolean refusing; // an append failed since the last commit; written under lock
    private int failedAppends; // guarded by lock
    private volatile boolean open = true;

    /**
     * Starts a journal file in {@code dir} after any there ({@link JournalReplay#leftOver} them first),
     * checkpointed every {@code every} (tests: long enough never to run on its own); {@code commit}:
     * commits the store's file and returns once it is written; {@code unsaved}: the store has
     * changes its file does not hold (some are never journaled, such as a new index).
     */
    Journal(Path dir, Runnable commit, BooleanSupplier unsaved, Duration every) {
        this.dir = dir;
        this.commit = commit;
        this.unsaved = unsaved;
        this.generation = generations(dir).stream().mapToLong(Long::longValue).max().orElse(0) + 1;
        this.current = create(dir, generation);
        this.checkpointer = Thread.ofVirtual().name("shegong-journal").start(() -> run(every));
    }

    /** Throws unless appends are taken: refused while the store closes, and after a failed append until the next commit. */
    void requireAppending() {
        if (!open) {
            throw new StorageUnavailableException("the store is closing");
        }
        if (refusing) {
            throw new StorageUnavailableException("a change could not be journaled: writes wait for the store's next commit");
        }
    }

    /** Appends {@code changes}, in order; returns when the operating system holds them. */
    void append(List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        List<ByteBuffer> records = new ArrayList<>(changes.size());
        int size = 0;
        for (Change c : changes) {
            byte[] name = c.namespace().getBytes(StandardCharsets.UTF_8);
            ByteBuffer body = ByteBuffer.allocate(1 + 4 + name.length + c.bson().length)
                    .put((byte) c.kind().ordinal()).putInt(name.length).put(name).put(c.bson()).flip();
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
            requireAppending();
            try {
                while (all.hasRemaining()) {
                    current.write(all);
                }
            } catch (IOException e) {
                // kept, with what it held, until the next commit; a record cut short there ends that file.
                // The change is made but not journaled: a later write must not build on it before a commit holds it
                close(current);
                refusing = true;
                failedAppends++;
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
            int failedBefore;
            lock.lock();
            try {
                boolean earlier = generations(dir).stream().anyMatch(g -> g < generation); // a failed commit's
                if (!open || !written && !earlier && !refusing && !unsaved.getAsBoolean()) {
                    return;
                }
                if (written || !current.isOpen()) {
                    try {
                        startNext();
                    } catch (UncheckedIOException e) { // still commit, or nothing would be until a file could be made
                        LOG.log(Level.WARNING, "could not start the next journal file; the current one is kept", e);
                    }
                }
                kept = generation;
                failedBefore = failedAppends;
            } finally {
                lock.unlock();
            }
            commit.run();
            lock.lock();
            try {
                refusing &= failedAppends != failedBefore; // the commit holds every change a failed append left out
            } finally {
                lock.unlock();
            }
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

    /** Stops checkpointing (the store is about to close, which commits it); appends go on until {@link #close}. */
    void stopCheckpoints() {
        closing.countDown();
        try {
            checkpointer.join(CHECKPOINT_EVERY.multipliedBy(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops appending and checkpointing; {@link #drop} once the store's file is closed (committed). */
    @Override
    public void close() {
        open = false;
        stopCheckpoints();
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

    /** The journal files' numbers in {@code dir}, oldest first. */
    static List<Long> generations(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(PREFIX) && n.substring(PREFIX.length()).matches("\\d{1,18}"))
                    .map(n -> Long.parseLong(n.substring(PREFIX.length()))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    static Path file(Path dir, long generation) {
        return dir.resolve(PREFIX + generation);
    }

    private static FileChannel create(Path dir, long generation) {
        try {
            FileChannel channel = FileChannel.open(file(dir, generation), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                ByteBuffer magic = ByteBuffer.wrap(MAGIC);
                while (magic.hasRemaining()) {
                    channel.write(magic);
                }
            } catch (IOException e) {
                close(channel);
                throw e;
            }
            return channel;
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
