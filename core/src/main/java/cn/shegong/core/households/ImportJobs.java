package cn.shegong.core.households;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

import cn.shegong.core.casework.Areas;
import cn.shegong.core.storage.FieldCipher;
import cn.shegong.core.text.Texts;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * Imports started from the console: the uploaded file waits in the data folder (deleted when its
 * import ends, and at start for any a crash left), one import runs at a time with a few queued
 * behind it, and each import's progress lives in {@code imports} so any replica can answer the
 * progress bar. The rejected rows are kept sealed for download. An import whose progress stopped
 * (its process ended) shows as interrupted; running it again is safe (a row already imported is unchanged).
 */
public final class ImportJobs implements AutoCloseable {

    public enum State { QUEUED, RUNNING, DONE, FAILED }

    public record Status(String id, String file, String by, State state, int done, int total, Map<String, Integer> counts,
                         List<String> unmapped, int rejected, boolean rejectedKept, Optional<String> error) {
    }

    /** Thrown when imports are already waiting: try again in a minute. */
    public static final class Busy extends RuntimeException {
        Busy() {
            super("imports are queued already", null, false, false);
        }
    }

    /** Rejected rows kept for download; more are counted but not kept (the document must stay small). */
    static final int KEEP_REJECTED = 10_000;
    private static final Duration PROGRESS_EVERY = Duration.ofMillis(300);
    /** A running import that has not moved for this long was interrupted (its process ended): run it again. */
    private static final Duration STALLED = Duration.ofMinutes(2);
    private static final Logger LOG = Logger.getLogger(ImportJobs.class.getName());

    private final MongoCollection<Document> jobs;
    private final HouseholdImport importer;
    private final FieldCipher cipher;
    private final Texts texts;
    private final Path folder;
    private final Clock clock;
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.CompletableFuture<Void>> running =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final ThreadPoolExecutor runner = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(3),
            r -> Thread.ofPlatform().name("household-import").daemon().unstarted(r));

    public ImportJobs(MongoDatabase db, HouseholdImport importer, FieldCipher cipher, Texts texts, Path dataDir, Clock clock) {
        this.jobs = db.getCollection("imports");
        this.importer = importer;
        this.cipher = cipher;
        this.texts = texts;
        this.folder = dataDir.resolve("imports");
        this.clock = clock;
        try {
            Files.createDirectories(folder);
            try (var left = Files.list(folder)) {
                for (Path p : left.toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where an upload is written before {@link #submit}. */
    public Path newUpload() throws IOException {
        return Files.createTempFile(folder, "upload-", ".part");
    }

    /** Queues the import of an uploaded file (which it then owns and deletes); its id for {@link #status}. */
    public String submit(Path upload, String fileName, String by, Predicate<Areas.Township> mayImport) {
        String id = new ObjectId().toHexString();
        jobs.insertOne(new Document("_id", id).append("file", fileName).append("by", by).append("state", State.QUEUED.name())
                .append("done", 0).append("total", 0).append("at", Date.from(clock.instant())).append("beat", Date.from(clock.instant())));
        running.put(id, new java.util.concurrent.CompletableFuture<>());
        try {
            runner.execute(() -> {
                try {
                    run(id, upload, mayImport);
                } finally {
                    running.remove(id).complete(null);
                }
            });
            return id;
        } catch (RejectedExecutionException e) {
            running.remove(id);
            jobs.deleteOne(Filters.eq("_id", id));
            delete(upload);
            throw new Busy();
        }
    }

    /** Waits (at most {@code max}) for an import this process runs to end; returns at once for any other. */
    public void await(String id, Duration max) throws InterruptedException {
        var f = running.get(id);
        if (f != null) {
            try {
                f.get(max.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                return;
            }
        }
    }

    public Optional<Status> status(String id) {
        return Optional.ofNullable(jobs.find(Filters.eq("_id", id)).projection(new Document("rejectedCsv", 0)).first()).map(d -> {
            Document counts = d.get("counts", new Document());
            Map<String, Integer> c = new java.util.LinkedHashMap<>();
            counts.forEach((k, v) -> c.put(k, ((Number) v).intValue()));
            State state = State.valueOf(d.getString("state"));
            Instant beat = d.getDate("beat").toInstant();
            boolean stalled = state == State.RUNNING && beat.isBefore(clock.instant().minus(STALLED))
                    || state == State.QUEUED && beat.isBefore(clock.instant().minus(STALLED.multipliedBy(30)));
            return new Status(id, d.getString("file"), d.getString("by"), stalled ? State.FAILED : state, d.getInteger("done", 0),
                    d.getInteger("total", 0), c, d.getList("unmapped", String.class, List.of()), c.getOrDefault("REJECTED", 0),
                    d.getBoolean("rejectedKept", false), stalled ? Optional.of("interrupted") : Optional.ofNullable(d.getString("error")));
        });
    }

    /** The rejected rows as CSV (with the reason first), unsealed for the download. */
    public Optional<String> rejectedCsv(String id) {
        return Optional.ofNullable(jobs.find(Filters.eq("_id", id)).first()).map(d -> d.getString("rejectedCsv")).map(cipher::decrypt);
    }

    private void run(String id, Path upload, Predicate<Areas.Township> mayImport) {
        try {
            int total = Spreadsheets.countRows(upload);
            jobs.updateOne(Filters.eq("_id", id), Updates.combine(Updates.set("state", State.RUNNING.name()), Updates.set("total", total),
                    Updates.set("beat", Date.from(clock.instant()))));
            Instant[] last = {Instant.EPOCH};
            HouseholdImport.Report report;
            try (Spreadsheets.Rows rows = Spreadsheets.open(upload)) {
                report = importer.run(rows, n -> {
                    Instant now = clock.instant();
                    if (Duration.between(last[0], now).compareTo(PROGRESS_EVERY) >= 0) {
                        last[0] = now;
                        jobs.updateOne(Filters.eq("_id", id), Updates.combine(Updates.set("done", n), Updates.set("beat", Date.from(now))));
                    }
                }, mayImport);
            }
            Document counts = new Document();
            report.counts().forEach((k, v) -> counts.append(k.name(), v));
            int done = report.counts().values().stream().mapToInt(Integer::intValue).sum();
            List<HouseholdImport.Rejected> kept = report.rejected().subList(0, Math.min(KEEP_REJECTED, report.rejected().size()));
            StringWriter csv = new StringWriter();
            new HouseholdImport.Report(report.counts(), kept, report.headings(), report.unmapped()).writeRejected(csv, texts);
            jobs.updateOne(Filters.eq("_id", id), Updates.combine(Updates.set("state", State.DONE.name()), Updates.set("done", done),
                    Updates.set("total", done), Updates.set("counts", counts), Updates.set("unmapped", report.unmapped()),
                    Updates.set("rejectedKept", kept.size() == report.rejected().size()),
                    Updates.set("rejectedCsv", cipher.encrypt(csv.toString()))));
        } catch (IllegalArgumentException e) {
            fail(id, "no_heading");
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "household import " + id + " failed: " + e.getClass().getSimpleName());
            fail(id, "unreadable");
        } finally {
            delete(upload);
        }
    }

    private void fail(String id, String error) {
        jobs.updateOne(Filters.eq("_id", id), Updates.combine(Updates.set("state", State.FAILED.name()), Updates.set("error", error)));
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warning("could not delete an uploaded file: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }
}
