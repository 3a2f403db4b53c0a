package cn.shegong.server;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import cn.shegong.fakewechat.Pushes;
import cn.shegong.fakewechat.WeChatPush;
import cn.shegong.core.message.StoredMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded defaults (no MONGODB_URI, no REDIS_URL) keep their data in the data folder. */
class RestartTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T03:00:00Z"), ZoneId.of("Asia/Shanghai"));

    @Test
    void messagesResidentsAndRetryMemorySurviveARestart(@TempDir Path dataDir) throws Exception {
        String body = Pushes.text("o-restart", 1764385200, 9009, "重启前的消息");
        String firstAnswer;
        try (Shegong before = TestService.start(TestService.env(dataDir), CLOCK)) {
            firstAnswer = TestService.wechat(before).post(body, WeChatPush.Mode.PLAINTEXT).body();
            assertTrue(firstAnswer.startsWith("<xml>"));
        }

        try (Shegong after = TestService.start(TestService.env(dataDir), CLOCK)) {
            List<StoredMessage> conversation = after.messages().conversation("o-restart");
            assertEquals(List.of("重启前的消息", firstAnswer.substring(firstAnswer.indexOf("<Content><![CDATA[") + 18,
                    firstAnswer.indexOf("]]></Content>"))), conversation.stream().map(StoredMessage::content).toList());
            assertTrue(after.residents().find("o-restart").isPresent());

            String retried = TestService.wechat(after).post(body, WeChatPush.Mode.PLAINTEXT).body();
            assertEquals(firstAnswer, retried, "WeChat's retry after our restart gets the same answer");
            assertEquals(2, after.messages().conversation("o-restart").size(), "and is not stored again");
        }
    }
}
