package cn.shegong.core.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the journal keeps across a crash of the process, what a commit lets it drop, and what a restart puts back. */
class JournalTest {

    /** Long enough that no checkpoint runs on its own during a test. */
    static final Duration NEVER = Duration.ofHours(1);

    static Document message(String text) {
        return new Document("_id", new ObjectId()).append("openid", "o1").append("text", text)
                .append("at", new java.util.Date(1_700_000_000_000L)).append("attrs", new Document("k", List.of(1L, 2.5, "x")));
    }

    static Journal.Change put(String namespace, Document d) {
        return new Journal.Change(namespace, Journal.Kind.PUT, bson(d));
    }

    static Journal.Change put(Document d) {
        return put("shegong.messages", d);
    }

    static byte[] bson(Document d) {
        RawBsonDocument raw = new RawBsonDocument(d, com.mongodb.MongoClientSettings.getDefaultCodecRegistry().get(Document.class));
        return java.util.Arrays.copyOf(raw.getByteBuffer().array(), raw.getByteBuffer().remaining());
    }

    static List<String> texts(Path dir) {
        return JournalReplay.leftOver(dir).stream().map(e -> e.document().getString("text").getValue()).toList();
    }

    static long journalFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(Journal.PREFIX)).count();
        }
    }

    @Test
    void whatWasAppendedBeforeACrashIsReadBackInOrderAsItWasWritten(@TempDir Path dir) {
        Document one = message("一"), two = message("二");
        try (Journal journal = new Journal(dir, () -> { }, () -> false, NEVER)) {
            journal.append(List.of(put(one), put(two)));
            journal.append(List.of(new Journal.Change("other.outbox", Journal.Kind.REMOVE, bson(new Document("_id", 7L))),
                    new Journal.Change("other.old", Journal.Kind.DROP, new byte[0])));
        } // closed without a commit or a drop: as a crash leaves it

        List<Journal.Change> left = JournalReplay.leftOver(dir);
        assertEquals(List.of("shegong.messages", "shegong.messages", "other.outbox", "other.old"),
                left.stream().map(Journal.Change::namespace).toList());
        assertEquals(List.of(Journal.Kind.PUT, Journal.Kind.PUT, Journal.Kind.REMOVE, Journal.Kind.DROP),
                left.stream().map(Journal.Change::kind).toList());
        assertEquals(one.toBsonDocument(), left.get(0).document());
        assertEquals(two.toBsonDocument(), left.get(1).document());
        assertEquals(new org.bson.BsonInt64(7), left.get(2).document().get("_id"));
    }

    @Test
    void aJournalOfTheEarlierFormatIsRefusedNotMisread(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve(Journal.PREFIX + 1), new byte[] {0, 0, 0, 40, 1, 2, 3, 4, 0, 0, 0, 16});
        StorageUnavailableException e = assertThrows(StorageUnavailableException.class, () -> JournalReplay.leftOver(dir));
        assertTrue(e.getMessage().contains("earlier version"), e.getMessage());
    }

    @Test
    void aRecordCutShortOrDamagedIsIgnoredAndWhatCameBeforeKept(@TempDir Path dir) throws Exception {
        try (Journal journal = new Journal(dir, () -> { }, () -> false, NEVER)) {
            journal.append(List.of(put(message("完整的"))));
        }
        Path file = Files.list(dir).findFirst().orElseThrow();
        byte[] whole = Files.readAllBytes(file);
        try (Journal journal = new Journal(dir, () -> { }, () -> false, NEVER)) { // a later file: cut and damage this one's copy
            journal.append(List.of(put(message("写到一半"))));
        }
        Path later = Files.list(dir).filter(p -> !p.equals(file)).findFirst().orElseThrow();
        byte[] both = Files.readAllBytes(later);
        Files.write(later, java.util.Arrays.copyOf(both, Journal.MAGIC.length + (both.length - Journal.MAGIC.length) / 2),
                StandardOpenOption.TRUNCATE_EXISTING);
        assertEquals(List.of("完整的"), texts(dir), "cut short");

        byte[] damaged = whole.clone();
        damaged[damaged.length - 3] ^= 0x5a;
        Files.write(later, damaged, StandardOpenOption.TRUNCATE_EXISTING);
        assertEquals(List.of("完整的"), texts(dir), "a damaged record, its length intact");
    }

    @Test
    void aCheckpointCommitsTheStoreThenDropsWhatItHeldButNotWhatCameDuringTheCommit(@TempDir Path dir) {
        List<String> events = new ArrayList<>();
        Journal[] journal = new Journal[1];
        journal[0] = new Journal(dir, () -> {
            events.add("commit");
            journal[0].append(List.of(put(message("提交时到的"))));
        }, () -> false, NEVER);
        journal[0].append(List.of(put(message("提交前的"))));

        journal[0].checkpoint();

        assertEquals(List.of("commit"), events);
        assertEquals(List.of("提交时到的"), texts(dir), "what came during the commit waits for the next one");
        journal[0].close();
    }

    @Test
    void aFailedCommitKeepsTheJournalAndTheNextCheckpointCommitsItAgain(@TempDir Path dir) throws Exception {
        AtomicInteger commits = new AtomicInteger();
        Journal journal = new Journal(dir, () -> {
            if (commits.incrementAndGet() == 1) {
                throw new IllegalStateException("disk full");
            }
        }, () -> false, NEVER);
        journal.append(List.of(put(message("第一条"))));
        assertThrows(IllegalStateException.class, journal::checkpoint);
        assertEquals(List.of("第一条"), texts(dir), "kept");

        journal.checkpoint(); // nothing new, but the failed commit's file waits for one

        assertEquals(2, commits.get());
        assertEquals(List.of(), texts(dir));
        journal.append(List.of(put(message("第二条"))));
        assertEquals(List.of("第二条"), texts(dir));
        journal.close();
        assertThrows(StorageUnavailableException.class, () -> journal.append(List.of(put(message("关了")))));
        Journal.drop(dir);
        assertEquals(0, journalFiles(dir));
    }

    @Test
    void anAppendCutOffByAnInterruptLosesNothingBeforeItAndWritesWaitForTheNextCommit(@TempDir Path dir) {
        AtomicInteger commits = new AtomicInteger();
        try (Journal journal = new Journal(dir, commits::incrementAndGet, () -> false, NEVER)) {
            journal.append(List.of(put(message("之前的"))));
            Thread.currentThread().interrupt(); // closes the file channel under the write, as a close of the writer could
            assertThrows(StorageUnavailableException.class, () -> journal.append(List.of(put(message("被打断的")))));
            assertTrue(Thread.interrupted());
            assertEquals(List.of("之前的"), texts(dir), "what came before is kept");
            assertThrows(StorageUnavailableException.class, () -> journal.append(List.of(put(message("等提交的")))),
                    "refused: the interrupted change is made in the store but in no journal until a commit holds it");

            journal.checkpoint();
            journal.append(List.of(put(message("之后的"))));

            assertEquals(1, commits.get());
            assertEquals(List.of("之后的"), texts(dir), "the commit holds the rest; the journal goes on in a new file");
        }
    }

    @Test
    void whatACheckpointCommittedIsInTheFileWhenItReturns(@TempDir Path dir) throws Exception {
        Path live = dir.resolve("live");
        Path copy = Files.createDirectories(dir.resolve("copy"));
        try (Mongo mongo = Mongo.embedded(live, "shegong", NEVER)) {
            mongo.database().getCollection("messages").insertOne(message("提交了的"));
            mongo.checkpoint();
            assertEquals(List.of(), JournalReplay.leftOver(live), "dropped: the file holds it");
            Files.copy(live.resolve("mongo.mv"), copy.resolve("mongo.mv")); // the file as a kill -9 now would leave it
        }
        try (Mongo mongo = Mongo.open(Optional.empty(), "shegong", copy)) {
            assertEquals("提交了的", mongo.database().getCollection("messages").find().first().getString("text"));
        }
    }

    @Test
    void aCommitWaitsForTheWritesUnderWayAlsoInAStoreOpenedAgain(@TempDir Path dir) throws Exception {
        try (Mongo mongo = Mongo.open(Optional.empty(), "shegong", dir)) {
            mongo.database().getCollection("cases").insertOne(new Document("_id", "in the file"));
        }
        try (Mongo mongo = Mongo.embedded(dir, "shegong", NEVER); var writer = java.util.concurrent.Executors.newSingleThreadExecutor()) {
            var barrier = mongo.embeddedBackend().barrier();
            barrier.writeLock().lock(); // as a commit holds it
            java.util.concurrent.Future<?> write;
            try {
                write = writer.submit(() -> mongo.database().getCollection("cases").insertOne(new Document("_id", "while committing")));
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (!barrier.hasQueuedThreads() && !write.isDone() && System.nanoTime() < deadline) {
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // polls the lock, not a guess at a duration
                }
                assertTrue(barrier.hasQueuedThreads(), "the write waits for the commit (a database the file held when opened)");
                assertFalse(write.isDone());
            } finally {
                barrier.writeLock().unlock();
            }
            write.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(2, mongo.database().getCollection("cases").countDocuments());
        }
    }

    @Test
    void everyAcknowledgedChangeIsInTheJournalInTheOrderMade(@TempDir Path dir) {
        try (Mongo mongo = Mongo.embedded(dir, "shegong", NEVER)) {
            var cases = mongo.database().getCollection("cases");
            cases.insertMany(List.of(new Document("_id", "c1").append("n", 1), new Document("_id", "c2").append("n", 1)));
            cases.updateOne(Filters.eq("_id", "c1"), new Document("$inc", new Document("n", 1)));
            cases.findOneAndUpdate(Filters.eq("_id", "c3"), new Document("$set", new Document("n", 9)),
                    new com.mongodb.client.model.FindOneAndUpdateOptions().upsert(true));
            cases.deleteOne(Filters.eq("_id", "c2"));

            List<Journal.Change> left = JournalReplay.leftOver(dir);

            assertEquals(List.of("PUT c1 1", "PUT c2 1", "PUT c1 2", "PUT c3 9", "REMOVE c2 -"), left.stream()
                    .map(c -> c.kind() + " " + c.document().getString("_id").getValue() + " "
                            + (c.document().containsKey("n") ? c.document().getInt32("n").getValue() : "-")).toList());
            assertTrue(left.stream().allMatch(c -> c.namespace().equals("shegong.cases")));
        }
    }

    @Test
    void theStoreOpenedAfterACrashHoldsEachDocumentsLastChangeAndDropsTheJournal(@TempDir Path dir) throws Exception {
        try (Mongo mongo = Mongo.open(Optional.empty(), "shegong", dir)) {
            var cases = mongo.database().getCollection("cases");
            cases.createIndex(new Document("k", 1), new com.mongodb.client.model.IndexOptions().unique(true));
            cases.insertMany(List.of(new Document("_id", "a").append("k", 1), new Document("_id", "b").append("k", 2),
                    new Document("_id", "gone").append("k", 3)));
            mongo.database().getCollection("old").insertOne(new Document("_id", "before the drop"));
        }
        assertEquals(0, journalFiles(dir), "a clean stop drops it");
        try (Journal crashed = new Journal(dir, () -> { }, () -> false, NEVER)) { // what a crash leaves: journaled, the file not committed
            crashed.append(List.of(
                    put("shegong.cases", new Document("_id", "a").append("k", 2)), // a and b swap their unique key
                    put("shegong.cases", new Document("_id", "b").append("k", 1)),
                    new Journal.Change("shegong.cases", Journal.Kind.REMOVE, bson(new Document("_id", "gone"))),
                    put("shegong.cases", new Document("_id", "brief").append("k", 4)),
                    new Journal.Change("shegong.cases", Journal.Kind.REMOVE, bson(new Document("_id", "brief"))),
                    put("shegong.counters", new Document("_id", 5L).append("seq", 1)), // one _id, as the store compares them
                    new Journal.Change("shegong.counters", Journal.Kind.REMOVE, bson(new Document("_id", 5))),
                    new Journal.Change("shegong.old", Journal.Kind.DROP, new byte[0]),
                    put("shegong.old", new Document("_id", "after the drop"))));
        }

        try (Mongo mongo = Mongo.open(Optional.empty(), "shegong", dir)) {
            var cases = mongo.database().getCollection("cases");
            assertEquals(List.of("a 2", "b 1"), cases.find().sort(new Document("_id", 1))
                    .map(d -> d.getString("_id") + " " + d.getInteger("k")).into(new ArrayList<>()));
            assertEquals(0, mongo.database().getCollection("counters").countDocuments());
            assertEquals(List.of("after the drop"), mongo.database().getCollection("old").find()
                    .map(d -> d.getString("_id")).into(new ArrayList<>()));
            assertTrue(JournalReplay.leftOver(dir).isEmpty(), "the crash's journal dropped");
        }
    }
}
