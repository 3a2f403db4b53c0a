package cn.shegong.core.staff;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Projections;
import org.bson.Document;

/**
 * Which WeChat openids are bound to a worker: every push asks, and almost every sender is a
 * resident, so the bindings (one per bound worker: a few thousand at most) are read whole at most
 * once per {@link #FRESH} instead of once per push. What this instance binds or unbinds is seen at
 * once; what another replica did, within {@link #FRESH}. A stale answer is checked by the caller
 * against the worker's own record, so it can never give a worker's powers to a phone no longer
 * bound; it can answer a worker bound on another replica a moment ago as a resident, for up to
 * {@link #FRESH}.
 */
final class BoundOpenids {

    static final Duration FRESH = Duration.ofSeconds(2);

    /** {@code generation}: of this instance's changes, when it was read. */
    private record Snapshot(Map<String, String> workerIds, long readAt, long generation) {
    }

    private final MongoCollection<Document> bindings;
    private final long freshNanos;
    private final ReentrantLock reading = new ReentrantLock();
    private final AtomicLong generation = new AtomicLong();
    private volatile Snapshot snapshot;

    BoundOpenids(MongoCollection<Document> bindings, Duration fresh) {
        this.bindings = bindings;
        this.freshNanos = fresh.toNanos();
    }

    /** The id of the worker {@code openid} is bound to, as last read. */
    Optional<String> workerId(String openid) {
        return Optional.ofNullable(current().workerIds().get(openid));
    }

    /** After a change by this instance: the next question reads afresh (and a read under way is not kept). */
    void changed() {
        generation.incrementAndGet();
        snapshot = null;
    }

    private boolean fresh(Snapshot s) {
        return s != null && System.nanoTime() - s.readAt() < freshNanos && s.generation() == generation.get();
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        if (fresh(s)) {
            return s;
        }
        if (s != null && !reading.tryLock()) {
            return s; // another push is reading it: this one goes on with the last
        }
        if (s == null) {
            reading.lock(); // nothing to go on with: wait for the read under way, if any
        }
        try {
            Snapshot again = snapshot;
            if (fresh(again)) {
                return again;
            }
            long gen = generation.get();
            long readAt = System.nanoTime(); // before reading: another replica's change during the read is read next time
            Map<String, String> ids = new HashMap<>();
            bindings.find().projection(Projections.include("workerId")).forEach(d -> {
                if (d.get("_id") instanceof String openid && d.getString("workerId") != null) {
                    ids.put(openid, d.getString("workerId"));
                }
            });
            Snapshot read = new Snapshot(Map.copyOf(ids), readAt, gen);
            if (generation.get() == gen) {
                snapshot = read;
            }
            return read;
        } finally {
            reading.unlock();
        }
    }
}
