package cn.shegong.bot.wechat;

import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import cn.shegong.core.storage.FieldCipher;
import cn.shegong.core.storage.Redis;
import cn.shegong.core.testing.TestRedis;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A push kept in the backlog comes out whole — the same person, time, MsgId and words — for the
 * drainer to handle, and what Redis holds of it is unreadable.
 */
class BacklogTest {

    @Test
    void aKeptPushIsHandedBackWholeAndIsUnreadableInRedis() throws Exception {
        try (TestRedis test = new TestRedis();
             Redis redis = Redis.open(Optional.of(TestRedis.URL), test.prefix(), Files.createTempDirectory("backlog"))) {
            Backlog backlog = new Backlog(redis, new FieldCipher(new byte[32]));
            InboundMessage sent = InboundMessage.from(Map.of("ToUserName", "gh_1", "FromUserName", "o-kept",
                    "CreateTime", "1764468000", "MsgType", "text", "MsgId", "4242", "Content", "我妈摔倒了 电话13800001234"));
            backlog.keep("retry-key-1", sent);
            assertFalse(String.join("", test.client().lrange(test.prefix() + "wx:backlog", 0, -1)).contains("13800001234"),
                    "the phone is readable in Redis");

            BlockingQueue<InboundMessage> handled = new ArrayBlockingQueue<>(1);
            backlog.start((item, message) -> {
                assertEquals("retry-key-1", item.retryKey());
                handled.add(message);
            });
            try {
                InboundMessage back = handled.poll(10, TimeUnit.SECONDS);
                assertNotNull(back, "the drainer handed the push back");
                assertEquals(sent, back);
            } finally {
                backlog.stop();
            }
        }
    }
}
