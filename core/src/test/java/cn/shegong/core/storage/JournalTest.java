package cn.shegong.core.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the journal keeps across a crash of the process, and what a commit lets it drop. */
class JournalTest {

    static Document message(String text) {
        return new Document("_id", new ObjectId()).append("openid", "o1").append("text", text)
                .append("at", new java.util.Date(1_700_000_000_000L)).append("attrs", new Document("k", List.of(1L, 2.5, "x")));
    }

    @Test
    void whatWasAppendedBeforeACrashIsReadBackInOrderAsItWasWritten(@TempDir Path dir) {
        List<Document> written = List.of(message("一"), message("二"), message("三"));
        Journal journal = new Journal(dir, () -> { });
        journal.append("messages", written.subList(0, 2));
        journal.append("outbox", written.subList(2, 3));
        // a crash: nothing closed, nothing committed

        List<Journal.Entry> left = Journal.leftOver(dir);
        assertEquals(List.of("messages", "messages", "outbox"), left.stream().map(Journal.Entry::collection).toList());
        for (int i = 0; i < 3; i++) {
            assertEquals(written.get(i).toBsonDocument(), left.get(i).document(), "document " + i);
        }
    }

    @Test
    void aRecordCutShortByTheCrashIsIgnoredAndTheRestKept(@TempDir Path dir) throws Exception {
        Journal journal = new Journal(dir, () -> { });
        journal.append("messages", List.of(message("完整的")));
        Path file = dir.resolve(Journal.FILE);
        byte[] whole = Files.readAllBytes(file);
        journal.append("messages", List.of(message("写到一半")));
        byte[] both = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(both, whole.length + (both.length - whole.length) / 2), StandardOpenOption.TRUNCATE_EXISTING);

        List<Journal.Entry> left = Journal.leftOver(dir);
        assertEquals(1, left.size());
        assertEquals("完整的", left.get(0).document().getString("text").getValue());
    }

    @Test
    void aCheckpointCommitsTheStoreThenDropsWhatItHeldButNotWhatCameAfter(@TempDir Path dir) {
        List<String> events = new ArrayList<>();
        Journal[] journal = new Journal[1];
        journal[0] = new Journal(dir, () -> {
            events.add("commit");
            journal[0].append("messages", List.of(message("提交时到的"))); // appended while the file commits
        });
        journal[0].append("messages", List.of(message("提交前的")));

        journal[0].checkpoint();

        assertEquals(List.of("commit"), events);
        List<Journal.Entry> left = Journal.leftOver(dir);
        assertEquals(List.of("提交时到的"), left.stream().map(e -> e.document().getString("text").getValue()).toList(),
                "what came during the commit waits for the next one");
        assertFalse(Files.exists(dir.resolve(Journal.COMMITTING)));
    }

    @Test
    void aFailedCommitKeepsTheJournalAndTheNextCheckpointCommitsItAgain(@TempDir Path dir) {
        AtomicInteger commits = new AtomicInteger();
        Journal journal = new Journal(dir, () -> {
            if (commits.incrementAndGet() == 1) {
                throw new IllegalStateException("disk full");
            }
        });
        journal.append("messages", List.of(message("第一条")));
        assertThrows(IllegalStateException.class, journal::checkpoint);
        journal.append("messages", List.of(message("第二条")));
        assertEquals(List.of("第一条", "第二条"), Journal.leftOver(dir).stream().map(e -> e.document().getString("text").getValue()).toList(),
                "both kept, oldest first");

        journal.checkpoint();

        assertEquals(2, commits.get());
        assertEquals(List.of("第二条"), Journal.leftOver(dir).stream().map(e -> e.document().getString("text").getValue()).toList());
        journal.close();
        Journal.drop(dir);
        assertTrue(Journal.leftOver(dir).isEmpty());
        assertThrows(StorageUnavailableException.class, () -> journal.append("messages", List.of(message("关了"))));
    }
}
