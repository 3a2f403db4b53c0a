package cn.shegong.core.storage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes that many callers make at once, grouped: callers queue an item and wait; one writer
 * takes everything queued (up to {@code maxBatch}), writes it in one round trip (acknowledged once
 * it is durable: a real MongoDB's journaled majority, the embedded store's journal) and answers
 * each caller. Under no load a batch is one item; under load one round trip and one journal write
 * serve dozens of messages. The queue and every wait are bounded.
 *
 * @param <T> what is written
 * @param <R> the answer per item, in the order of the batch
 */
public final class GroupCommit<T, R> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GroupCommit.class.getName());
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private record Pending<T, R>(T item, CompletableFuture<R> answer) {
    }

    private final BlockingQueue<Pending<T, R>> queue;
    private final int maxBatch;
    private final Duration wait;
    private final Function<List<T>, List<R>> write;
    private final Thread writer;
    /** Queued by {@link #close} to wake an idle writer; never written. */
    private final Pending<T, R> wake = new Pending<>(null, new CompletableFuture<>());
    private volatile boolean open = true;

    /** {@code write} gets a batch and returns one answer per item; it may throw for the whole batch. */
    public GroupCommit(String name, int capacity, int maxBatch, Duration wait, Function<List<T>, List<R>> write) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.maxBatch = maxBatch;
        this.wait = wait;
        this.write = write;
        this.writer = Thread.ofVirtual().name(name).start(this::run);
    }

    /** Queues the item and waits for it to be written; rethrows the batch's failure. */
    public R submit(T item) {
        Pending<T, R> p = new Pending<>(item, new CompletableFuture<>());
        try {
            if (!open || !queue.offer(p, wait.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new StorageUnavailableException("the write queue is full or closed");
            }
            return p.answer().get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("interrupted while writing");
        } catch (TimeoutException e) {
            throw new StorageUnavailableException("a write took longer than " + wait.toMillis() + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void run() {
        List<Pending<T, R>> batch = new ArrayList<>(maxBatch);
        while (open || !queue.isEmpty()) {
            try {
                Pending<T, R> first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null || first == wake) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                batch.removeIf(p -> p == wake);
                complete(batch);
            } catch (InterruptedException e) {
                open = false;
            } finally {
                batch.clear();
            }
        }
        for (Pending<T, R> p; (p = queue.poll()) != null; ) { // queued as it closed: told at once, not left to wait
            p.answer().completeExceptionally(new StorageUnavailableException("the writer has stopped"));
        }
    }

    private void complete(List<Pending<T, R>> batch) {
        try {
            List<R> answers = write.apply(batch.stream().map(Pending::item).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).answer().complete(answers.get(i));
            }
        } catch (Throwable e) { // an Error too: the writer must not die and leave every later write waiting
            LOG.log(Level.WARNING, "a grouped write failed: " + e.getClass().getName());
            batch.forEach(p -> p.answer().completeExceptionally(e));
        }
    }

    /**
     * Stops taking writes and lets the writer finish what is queued (at most {@link #CLOSE_WAIT});
     * interrupting a write under way would fail its callers with an error that is not a storage
     * fault, so the store must not be closed before this returns.
     */
    @Override
    public void close() {
        open = false;
        queue.offer(wake); // an idle writer looks at once (a full queue keeps it busy anyway)
        try {
            if (!writer.join(CLOSE_WAIT)) {
                writer.interrupt();
            }
        } catch (InterruptedException e) {
            writer.interrupt();
            Thread.currentThread().interrupt();
        }
    }
}
