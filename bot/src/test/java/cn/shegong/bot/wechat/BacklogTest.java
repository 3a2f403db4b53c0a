package cn.shegong.bot.wechat;

import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import cn.shegong.core.storage.FieldCipher;
import cn.shegong.core.storage.Redis;
import cn.shegong.core.testing.TestRedis;
import com.mongodb.MongoTimeoutException;
import redis.clients.jedis.args.ListDirection;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A push kept in the backlog comes out whole — the same person, time, MsgId and words — for the
 * drainer to handle, and what Redis holds of it is unreadable; the person's waiting count holds
 * their next push behind it until it is handled; a crashed instance's item goes back to the queue;
 * while MongoDB is down nothing is taken, and an item MongoDB failed on goes back first in line.
 */
class BacklogTest {

    static final FieldCipher CIPHER = new FieldCipher(new byte[32]);

    static InboundMessage push(String openid, long msgId, String text) {
        return InboundMessage.from(Map.of("ToUserName", "gh_1", "FromUserName", openid,
                "CreateTime", "1764468000", "MsgType", "text", "MsgId", Long.toString(msgId), "Content", text));
    }

    @Test
    void aPersonsWaitingCountLastsUntilTheirKeptPushesAreHandled() throws Exception {
        try (TestRedis test = new TestRedis();
             Redis redis = Redis.open(Optional.of(TestRedis.URL), test.prefix(), Files.createTempDirectory("backlog"))) {
            Backlog backlog = new Backlog(redis, CIPHER, "me", test.prefix() + "instance:", () -> false);
            backlog.keep("k1", push("o-held", 1, "一"));
            backlog.keep("k2", push("o-held", 2, "二"));
            assertEquals("2", test.client().get(test.prefix() + "wx:held:o-held"), "two of this person's pushes wait");
            BlockingQueue<Long> handled = new ArrayBlockingQueue<>(2);
            backlog.start((item, message) -> handled.add(((InboundMessage.Ordinary) message).msgId()));
            try {
                assertEquals(1L, handled.poll(10, TimeUnit.SECONDS), "in arrival order");
                assertEquals(2L, handled.poll(10, TimeUnit.SECONDS));
            } finally {
                backlog.stop();
            }
            assertNull(test.client().get(test.prefix() + "wx:held:o-held"), "nothing of theirs waits: the next push goes straight in");
        }
    }

    @Test
    void aCrashedInstancesItemGoesBackAndAStoreFailurePutsItFirstInLine() throws Exception {
        try (TestRedis test = new TestRedis();
             Redis redis = Redis.open(Optional.of(TestRedis.URL), test.prefix(), Files.createTempDirectory("backlog"))) {
            Backlog crashed = new Backlog(redis, CIPHER, "gone", test.prefix() + "instance:", () -> false);
            crashed.keep("k1", push("o-a", 1, "一"));
            crashed.keep("k2", push("o-b", 2, "二"));
            // the crashed instance had taken the first into its working list; its liveness key is gone
            test.client().lmove(test.prefix() + "wx:backlog", test.prefix() + "wx:backlog:working:gone",
                    ListDirection.LEFT, ListDirection.RIGHT);

            AtomicBoolean storeDown = new AtomicBoolean(true);
            AtomicInteger triesOfFirst = new AtomicInteger();
            BlockingQueue<Long> handled = new ArrayBlockingQueue<>(4);
            Backlog backlog = new Backlog(redis, CIPHER, "me", test.prefix() + "instance:", storeDown::get);
            backlog.start((item, message) -> {
                long id = ((InboundMessage.Ordinary) message).msgId();
                if (id == 1 && triesOfFirst.getAndIncrement() == 0) {
                    throw new MongoTimeoutException("MongoDB went away while handling it");
                }
                handled.add(id);
            });
            try {
                assertEquals(2, test.client().llen(test.prefix() + "wx:backlog"), "the crashed instance's item is back in the queue");
                assertNull(handled.poll(1500, TimeUnit.MILLISECONDS), "nothing is taken while MongoDB is down");
                storeDown.set(false);
                assertEquals(1L, handled.poll(10, TimeUnit.SECONDS), "the item MongoDB failed on comes back first");
                assertEquals(2L, handled.poll(10, TimeUnit.SECONDS));
                assertEquals(2, triesOfFirst.get(), "tried again once MongoDB answered, not dropped");
            } finally {
                backlog.stop();
            }
        }
    }

    @Test
    void aKeptPushIsHandedBackWholeAndIsUnreadableInRedis() throws Exception {
        try (TestRedis test = new TestRedis();
             Redis redis = Redis.open(Optional.of(TestRedis.URL), test.prefix(), Files.createTempDirectory("backlog"))) {
            Backlog backlog = new Backlog(redis, new FieldCipher(new byte[32]), "me", test.prefix() + "instance:", () -> false);
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
