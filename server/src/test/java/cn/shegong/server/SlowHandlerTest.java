package cn.shegong.server;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.fakewechat.RecordedCall;
import cn.shegong.fakewechat.WeChatPush;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WeChat gives up after 5 seconds and the user sees 「该公众号暂时无法提供服务」. A dialogue that
 * takes 6 s must still let WeChat's first try succeed, and its answer must arrive afterwards as a
 * customer-service message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowHandlerTest {

    /** Takes 6 seconds, or less once the test has seen WeChat's answer (to keep the suite short). */
    HeldConversation slow;
    RunningService service;

    @BeforeAll
    void start() {
        service = new RunningService(Clock.systemUTC(),
                new Shegong.Seams(c -> slow = new HeldConversation(c, openid -> true, 1, Duration.ofSeconds(6)), true));
    }

    @AfterAll
    void stop() {
        service.close();
    }

    @Test
    void aSixSecondHandlerIsAnsweredInTimeAndTheReplyFollowsAsACustomerServiceMessage() throws Exception {
        WeChatPush.Delivery delivery = service.platform.says("o-slow", "我想申请低保，请问要带什么材料");
        slow.release.countDown();

        assertTrue(delivery.ok(), delivery.failure());
        assertEquals(1, delivery.attempts(), "WeChat's first try got an acceptable answer (within its 5 s timeout)");
        assertEquals(Optional.empty(), delivery.reply(), "that answer was 'success': nothing shown yet");

        List<RecordedCall> calls = service.fakeApi.awaitCalls(c -> c.stream().anyMatch(SlowHandlerTest::customToSlow),
                Duration.ofSeconds(15));
        RecordedCall sent = calls.stream().filter(SlowHandlerTest::customToSlow).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, String> text = (Map<String, String>) sent.body().get("text");
        assertTrue(text.get("content").contains("低保"), text.get("content"));
        assertEquals(1, service.fakeApi.received("o-slow").size(), "the person sees exactly one answer");
    }

    static boolean customToSlow(RecordedCall c) {
        return c.path().equals("/cgi-bin/message/custom/send") && "o-slow".equals(c.body().get("touser"));
    }
}
