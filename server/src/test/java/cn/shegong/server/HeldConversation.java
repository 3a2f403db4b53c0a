package cn.shegong.server;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import cn.shegong.bot.dialogue.Conversation;
import cn.shegong.bot.dialogue.Reply;
import cn.shegong.bot.wechat.InboundMessage;

/**
 * The service's conversation, held up for the people {@code held} picks: their reply waits until
 * the test {@link #release}s it, or at most {@code atMost} — a dialogue that is slow, or busy.
 */
final class HeldConversation implements Conversation {

    /** Counted down as each held reply starts waiting. */
    final CountDownLatch entered;
    final CountDownLatch release = new CountDownLatch(1);
    private final Conversation inner;
    private final Predicate<String> held;
    private final Duration atMost;

    HeldConversation(Conversation inner, Predicate<String> held, int expected, Duration atMost) {
        this.inner = inner;
        this.held = held;
        this.entered = new CountDownLatch(expected);
        this.atMost = atMost;
    }

    @Override
    public Optional<Reply> reply(InboundMessage message) {
        if (held.test(message.envelope().openid())) {
            entered.countDown();
            try {
                release.await(atMost.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return inner.reply(message);
    }

    @Override
    public String busy() {
        return inner.busy();
    }

    @Override
    public String tooFast() {
        return inner.tooFast();
    }
}
