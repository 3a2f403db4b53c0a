package cn.shegong.bot.wechat;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import cn.shegong.bot.dialogue.Conversation;
import cn.shegong.core.message.MessageStore;
import cn.shegong.core.message.StoredMessage;
import cn.shegong.core.resident.ResidentStore;

/**
 * Handles one verified push: recognise retries, store what arrived before anything else, keep the
 * resident's subscription and contact time current, let the conversation decide, store the reply,
 * and remember the answer for retries.
 */
final class Inbox {

    private static final Logger LOG = Logger.getLogger(Inbox.class.getName());

    private final Dedup dedup;
    private final MessageStore messages;
    private final ResidentStore residents;
    private final Conversation conversation;
    private final Clock clock;
    private final WebhookMetrics metrics;

    Inbox(Dedup dedup, MessageStore messages, ResidentStore residents, Conversation conversation, Clock clock,
          WebhookMetrics metrics) {
        this.dedup = dedup;
        this.messages = messages;
        this.residents = residents;
        this.conversation = conversation;
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
            return PassiveReply.text(message.envelope(), conversation.busy(), clock.instant());
        }
    }

    private String handle(InboundMessage message) {
        if (!messages.insert(inbound(message))) {
            metrics.count("duplicate");
            return PassiveReply.SUCCESS;
        }
        track(message);
        metrics.count("accepted");
        if (message instanceof InboundMessage.Unknown) {
            LOG.fine(() -> "stored an unhandled push of type " + message.envelope().msgType());
        }
        Optional<String> reply = conversation.reply(message);
        if (reply.isEmpty()) {
            return PassiveReply.SUCCESS;
        }
        Instant now = clock.instant();
        messages.insert(new StoredMessage(message.envelope().openid(), StoredMessage.Direction.OUT, "text",
                reply.get(), Optional.empty(), Map.of(), now, now));
        return PassiveReply.text(message.envelope(), reply.get(), now);
    }

    /** Subscription state and the 48-hour window: messages, follows, scans and menu taps are interactions. */
    private void track(InboundMessage message) {
        String openid = message.envelope().openid();
        Instant now = clock.instant();
        switch (message) {
            case InboundMessage.Subscribe s -> residents.subscribe(openid, s.scene(), now);
            case InboundMessage.Unsubscribe u -> residents.unsubscribe(openid, now);
            case InboundMessage.Ordinary o -> residents.recordContact(openid, now);
            case InboundMessage.Scan s -> residents.recordContact(openid, now);
            case InboundMessage.MenuClick c -> residents.recordContact(openid, now);
            case InboundMessage.MenuView v -> residents.recordContact(openid, now);
            case InboundMessage.LocationReport r -> { }
            case InboundMessage.TemplateSendFinished f -> { }
            case InboundMessage.Unknown u -> { }
        }
    }

    private StoredMessage inbound(InboundMessage message) {
        var envelope = message.envelope();
        Optional<Long> msgId = message instanceof InboundMessage.Ordinary o ? Optional.of(o.msgId())
                : message instanceof InboundMessage.Unknown u ? u.msgId() : Optional.empty();
        return new StoredMessage(envelope.openid(), StoredMessage.Direction.IN, envelope.msgType(),
                message.readable(), msgId, message.fields(), envelope.createTime(), clock.instant());
    }
}
