package cn.shegong.core.storage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Grouped writes: each caller gets its own answer; closing lets a write under way finish and refuses later ones. */
class GroupCommitTest {

    @Test
    void callersWritingAtOnceEachGetTheirOwnAnswer() throws Exception {
        try (GroupCommit<Integer, Integer> doubling = new GroupCommit<>("test-writer", 256, 64, Duration.ofSeconds(10),
                batch -> batch.stream().map(i -> i * 2).toList()); ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                answers.add(callers.submit(() -> doubling.submit(n)));
            }
            for (int i = 0; i < 200; i++) {
                assertEquals(2 * i, answers.get(i).get());
            }
        }
    }

    @Test
    void closingLetsTheWriteUnderWayFinishAndRefusesLaterOnes() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        GroupCommit<String, String> slow = new GroupCommit<>("test-writer", 16, 16, Duration.ofSeconds(10), batch -> {
            writing.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException("interrupted in the middle of a write");
            }
            return batch;
        });
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> underWay = callers.submit(() -> slow.submit("kept"));
            writing.await();
            Future<?> closing = callers.submit(slow::close);
            finish.countDown();
            closing.get();
            assertEquals("kept", underWay.get(), "not interrupted by the close");
            assertThrows(StorageUnavailableException.class, () -> slow.submit("late"));
        }
    }
}
