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
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    static List<String> texts(Path dir) {
        return Journal.leftOver(dir).stream().map(e -> e.document().getString("text").getValue()).toList();
    }

    static long journalFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(Journal.PREFIX)).count();
        }
    }

    @Test
    void whatWasAppendedBeforeACrashIsReadBackInOrderAsItWasWritten(@TempDir Path dir) {
        List<Document> written = List.of(message("一"), message("二"), message("三"));
        try (Journal journal = new Journal(dir, () -> { }, NEVER)) {
            journal.append("shegong.messages", written.subList(0, 2));
            journal.append("other.outbox", written.subList(2, 3));
        } // closed without a commit or a drop: as a crash leaves it

        List<Journal.Entry> left = Journal.leftOver(dir);
        assertEquals(List.of("shegong.messages", "shegong.messages", "other.outbox"), left.stream().map(Journal.Entry::namespace).toList());
        for (int i = 0; i < 3; i++) {
            assertEquals(written.get(i).toBsonDocument(), left.get(i).document(), "document " + i);
        }
    }

    @Test
    void aRecordCutShortOrDamagedIsIgnoredAndWhatCameBeforeKept(@TempDir Path dir) throws Exception {
        try (Journal journal = new Journal(dir, () -> { }, NEVER)) {
            journal.append("shegong.messages", List.of(message("完整的")));
        }
        Path file = Files.list(dir).findFirst().orElseThrow();
        byte[] whole = Files.readAllBytes(file);
        try (Journal journal = new Journal(dir, () -> { }, NEVER)) { // a later file: cut and damage this one's copy
            journal.append("shegong.messages", List.of(message("写到一半")));
        }
        Path later = Files.list(dir).filter(p -> !p.equals(file)).findFirst().orElseThrow();
        byte[] both = Files.readAllBytes(later);
        Files.write(later, java.util.Arrays.copyOf(both, both.length / 2), StandardOpenOption.TRUNCATE_EXISTING);
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
            journal[0].append("shegong.messages", List.of(message("提交时到的")));
        }, NEVER);
        journal[0].append("shegong.messages", List.of(message("提交前的")));

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
        }, NEVER);
        journal.append("shegong.messages", List.of(message("第一条")));
        assertThrows(IllegalStateException.class, journal::checkpoint);
        assertEquals(List.of("第一条"), texts(dir), "kept");

        journal.checkpoint(); // nothing new, but the failed commit's file waits for one

        assertEquals(2, commits.get());
        assertEquals(List.of(), texts(dir));
        journal.append("shegong.messages", List.of(message("第二条")));
        assertEquals(List.of("第二条"), texts(dir));
        journal.close();
        assertThrows(StorageUnavailableException.class, () -> journal.append("shegong.messages", List.of(message("关了"))));
        Journal.drop(dir);
        assertEquals(0, journalFiles(dir));
    }

    @Test
    void anAppendCutOffByAnInterruptLosesNothingBeforeItAndTheNextGoesOnInANewFile(@TempDir Path dir) {
        try (Journal journal = new Journal(dir, () -> { }, NEVER)) {
            journal.append("shegong.messages", List.of(message("之前的")));
            Thread.currentThread().interrupt(); // closes the file channel under the write, as a close of the writer could
            assertThrows(StorageUnavailableException.class, () -> journal.append("shegong.messages", List.of(message("被打断的"))));
            assertTrue(Thread.interrupted());

            journal.append("shegong.messages", List.of(message("之后的")));

            assertEquals(List.of("之前的", "之后的"), texts(dir));
        }
    }

    @Test
    void whatACommitWroteIsInTheFileWhenItReturns(@TempDir Path dir) throws Exception {
        Path live = dir.resolve("live");
        Path copy = Files.createDirectories(dir.resolve("copy"));
        try (Mongo mongo = Mongo.open(Optional.empty(), "shegong", live)) {
            mongo.database().getCollection("messages").insertOne(message("提交了的"));
            mongo.everything();
            Files.copy(live.resolve("mongo.mv"), copy.resolve("mongo.mv")); // the file as a kill -9 now would leave it
        }
        try (Mongo mongo = Mongo.open(Optional.empty(), "shegong", copy)) {
            assertEquals("提交了的", mongo.database().getCollection("messages").find().first().getString("text"));
        }
    }

    @Test
    void theStoreOpenedAfterACrashHoldsWhatTheJournalHeldOnceAndDropsIt(@TempDir Path dir) throws Exception {
        Document inFile = message("已在文件里");
        Document onlyJournaled = message("只在日志里");
        try (Mongo mongo = Mongo.open(Optional.empty(), "shegong", dir)) {
            mongo.database().getCollection("messages").insertOne(inFile);
            mongo.inserted("messages", List.of(inFile));
            assertEquals(List.of("已在文件里"), texts(dir), "appended beside the file while it runs");
        }
        assertEquals(0, journalFiles(dir), "a clean stop drops it");
        try (Journal crashed = new Journal(dir, () -> { }, NEVER)) { // what a crash leaves: journaled, the file not committed
            crashed.append("shegong.messages", List.of(inFile, onlyJournaled));
        }

        try (Mongo mongo = Mongo.open(Optional.empty(), "shegong", dir)) {
            var messages = mongo.database().getCollection("messages");
            assertEquals(1, messages.countDocuments(Filters.eq("_id", inFile.getObjectId("_id"))), "already in the file: once");
            assertEquals("只在日志里", messages.find(Filters.eq("_id", onlyJournaled.getObjectId("_id"))).first().getString("text"));
            assertEquals(2, messages.countDocuments());
            assertTrue(journalFiles(dir) <= 1, "the crash's journal dropped; at most the running one");
            assertTrue(Journal.leftOver(dir).isEmpty());
        }
    }
}
