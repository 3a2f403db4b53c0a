package cn.shegong.bot.wechat;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import cn.shegong.bot.dialogue.Dialogue;
import cn.shegong.core.message.MessageStore;
import cn.shegong.core.message.StoredMessage;
import cn.shegong.core.resident.ResidentStore;

/**
 * Handles one verified push: recognise retries, store what arrived before anything else, let the
 * dialogue decide, store the reply, and remember the answer for retries.
 */
final class Inbox {

    private static final Logger LOG = Logger.getLogger(Inbox.class.getName());

    private final Dedup dedup;
    private final MessageStore messages;
    private final ResidentStore residents;
    private final Dialogue dialogue;
    private final Clock clock;
    private final WebhookMetrics metrics;

    Inbox(Dedup dedup, MessageStore messages, ResidentStore residents, Dialogue dialogue, Clock clock,
          WebhookMetrics metrics) {
        this.dedup = dedup;
        this.messages = messages;
        this.residents = residents;
        this.dialogue = dialogue;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Returns the HTTP body for WeChat: a passive reply's XML or {@code success}. */
    String receive(InboundMessage message) {
        String key = message.dedupKey();
        Optional<String> earlier = dedup.claim(key);
        if (earlier.isPresent()) {
            metrics.count("duplicate");
            return earlier.get();
        }
        try {
            String answer = handle(message);
            dedup.complete(key, answer);
            return answer;
        } catch (RuntimeException e) {
            dedup.release(key);
            metrics.count("failed");
            LOG.log(Level.WARNING, "handling a " + message.envelope().msgType() + " push failed: " + e.getClass().getName(), e);
            return PassiveReply.text(message.envelope(), dialogue.busy(), clock.instant());
        }
    }

    private String handle(InboundMessage message) {
        if (!messages.insert(inbound(message))) {
            metrics.count("duplicate");
            return PassiveReply.SUCCESS;
        }
        residents.recordContact(message.envelope().openid(), clock.instant());
        metrics.count("accepted");
        Optional<String> reply = dialogue.reply(message);
        if (reply.isEmpty()) {
            return PassiveReply.SUCCESS;
        }
        messages.insert(new StoredMessage(message.envelope().openid(), StoredMessage.Direction.OUT, "text",
                reply.get(), Optional.empty(), Map.of(), clock.instant(), clock.instant()));
        return PassiveReply.text(message.envelope(), reply.get(), clock.instant());
    }

    private StoredMessage inbound(InboundMessage message) {
        var envelope = message.envelope();
        return switch (message) {
            case InboundMessage.Text t -> new StoredMessage(envelope.openid(), StoredMessage.Direction.IN, "text",
                    t.content(), Optional.of(t.msgId()), Map.of(), envelope.createTime(), clock.instant());
            case InboundMessage.Other o -> new StoredMessage(envelope.openid(), StoredMessage.Direction.IN,
                    envelope.msgType(), "", o.msgId(), o.fields(), envelope.createTime(), clock.instant());
        };
    }
}
