package cn.shegong.server;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import cn.shegong.fakewechat.WeChatPush;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * More people write at once than the webhook handles at a time (64 handlings, each held up in its
 * dialogue): the crowd behind them waits for a place, is kept for later, and WeChat gets
 * {@code success} on its first try; once the dialogues move, every person gets exactly one answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrowdTest {

    /** The webhook's handling lane ({@code Lanes.HANDLING}, not visible from here). */
    static final int HANDLING = 64;
    static final int CROWD = 40;

    HeldConversation held;
    RunningService service;

    @BeforeAll
    void start() {
        service = new RunningService(Clock.systemUTC(), new Shegong.Seams(
                c -> held = new HeldConversation(c, openid -> openid.startsWith("o-hold-"), HANDLING, Duration.ofSeconds(30)), true));
    }

    @AfterAll
    void stop() {
        service.close();
    }

    @Test
    void aCrowdBeyondTheHandlingLaneIsKeptAnsweredInTimeAndEveryoneGetsOneAnswer() throws Exception {
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<WeChatPush.Delivery>> holding = new ArrayList<>();
            for (int i = 0; i < HANDLING; i++) {
                String openid = "o-hold-" + i;
                holding.add(senders.submit(() -> service.platform.says(openid, "我想申请低保，请问要带什么材料")));
            }
            assertTrue(held.entered.await(30, TimeUnit.SECONDS), "every place in the handling lane is taken");

            List<Future<WeChatPush.Delivery>> crowd = new ArrayList<>();
            for (int i = 0; i < CROWD; i++) {
                String openid = "o-crowd-" + i;
                crowd.add(senders.submit(() -> service.platform.says(openid, "我想申请低保，请问要带什么材料")));
            }
            for (Future<WeChatPush.Delivery> f : crowd) {
                WeChatPush.Delivery d = f.get(30, TimeUnit.SECONDS);
                assertTrue(d.ok(), d.failure());
                assertEquals(1, d.attempts(), "WeChat's first try was answered within its 5 s");
                assertEquals(Optional.empty(), d.reply(), "'success': the answer follows once there is room");
            }
            held.release.countDown();

            List<String> everyone = new ArrayList<>();
            for (int i = 0; i < HANDLING; i++) {
                WeChatPush.Delivery d = holding.get(i).get(30, TimeUnit.SECONDS);
                assertTrue(d.ok(), d.failure());
                if (d.reply().isEmpty()) {
                    everyone.add("o-hold-" + i); // answered late with success: the reply comes as a customer-service message
                }
            }
            for (int i = 0; i < CROWD; i++) {
                everyone.add("o-crowd-" + i);
            }
            service.fakeApi.awaitCalls(c -> everyone.stream().allMatch(o -> !service.fakeApi.received(o).isEmpty()), Duration.ofSeconds(60));
            for (String openid : everyone) {
                assertEquals(1, service.fakeApi.received(openid).size(), openid + " sees exactly one answer");
            }
        }
    }
}
