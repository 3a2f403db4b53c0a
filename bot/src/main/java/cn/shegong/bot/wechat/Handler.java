package cn.shegong.bot.wechat;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

import cn.shegong.bot.dialogue.Conversation;
import cn.shegong.bot.dialogue.Reply;
import cn.shegong.bot.outbound.Outbox;
import cn.shegong.core.message.MessageStore;
import cn.shegong.core.message.StoredMessage;
import cn.shegong.core.outbox.OutboxStore;
import cn.shegong.core.resident.ResidentStore;
import org.bson.types.ObjectId;

/**
 * One push, in its person's turn: store what arrived before anything else, keep the resident's
 * subscription and contact time current, let the conversation decide, store the reply. The
 * {@link Inbox} decides when and whether this runs; this decides nothing about order or faults.
 */
final class Handler {

    private static final Logger LOG = Logger.getLogger(Handler.class.getName());

    private final MessageStore messages;
    private final ResidentStore residents;
    private final OutboxStore outboxStore;
    private final Outbox outbox;
    private final Conversation conversation;
    private final Clock clock;
    private final WebhookMetrics metrics;

    Handler(MessageStore messages, ResidentStore residents, OutboxStore outboxStore, Outbox outbox, Conversation conversation,
            Clock clock, WebhookMetrics metrics) {
        this.messages = messages;
        this.residents = residents;
        this.outboxStore = outboxStore;
        this.outbox = outbox;
        this.conversation = conversation;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * Stores the push (a duplicate is answered {@code success}, unless {@code takenOver} from a
     * crashed instance that had stored it without its reply), then lets the conversation answer.
     */
    String handle(InboundMessage message, boolean takenOver, Exchange exchange) {
        Instant received = clock.instant();
        StoredMessage in = inbound(message);
        ObjectId newId = new ObjectId();
        ObjectId replyId = new ObjectId(); // chosen now, so the person's record remembers both in one write
        ObjectId inId = newId;
        boolean fresh = messages.insert(newId, in);
        exchange.stored();
        if (!fresh) {
            if (!(takenOver && unanswered(message))) {
                metrics.count("duplicate");
                return PassiveReply.SUCCESS;
            }
            inId = message.wechatMsgId().flatMap(messages::idOf).orElse(newId); // stored by the crashed instance, under its id
        }
        track(message, List.of(inId, replyId), in.storedAt());
        metrics.count("accepted");
        if (message instanceof InboundMessage.Unknown) {
            LOG.fine(() -> "stored an unhandled push of type " + message.envelope().msgType());
        }
        Optional<Reply> reply = conversation.reply(message);
        if (reply.isEmpty()) {
            return PassiveReply.SUCCESS;
        }
        Instant now = clock.instant();
        String openid = message.envelope().openid();
        StoredMessage out = new StoredMessage(openid, StoredMessage.Direction.OUT, "text", reply.get().text(), Optional.empty(),
                Map.of(), now, now);
        Optional<String> caseId = reply.get().caseId();
        messages.insertReply(replyId, out, message.wechatMsgId(), caseId);
        caseId.ifPresent(id -> residents.linkRecent(openid, received, ids -> messages.link(ids, id))); // the question, unless its request took it
        String body = answer(message, reply.get().text(), exchange);
        for (String more : reply.get().more()) { // each in a bubble of its own, after the answer
            StoredMessage bubble = new StoredMessage(openid, StoredMessage.Direction.OUT, "text", more, Optional.empty(), Map.of(), now, now);
            caseId.ifPresentOrElse(id -> messages.insertLinked(bubble, id), () -> messages.insertOwn(bubble));
            outbox.sendTextAfterReply(openid, more);
        }
        reply.get().menu().ifPresent(menu -> outbox.sendMenuAfterReply(openid, menu));
        return body;
    }

    /** The passive reply if WeChat is still waiting; else the same text as a customer-service message. */
    String answer(InboundMessage message, String text, Exchange exchange) {
        if (exchange.answerInTime()) {
            return PassiveReply.text(message.envelope(), text, clock.instant());
        }
        outbox.sendText(message.envelope().openid(), text);
        return PassiveReply.SUCCESS;
    }

    /**
     * Subscription state, the 48-hour window (messages, follows, scans, menu taps) and template
     * delivery reports; a message, scan or tap and its answer ({@code ids}, stored at {@code at}) are
     * remembered so that a request opened from this conversation links them.
     */
    private void track(InboundMessage message, List<ObjectId> ids, Instant at) {
        String openid = message.envelope().openid();
        Instant now = clock.instant();
        switch (message) {
            case InboundMessage.Subscribe s -> residents.subscribe(openid, s.scene(), now);
            case InboundMessage.Unsubscribe u -> residents.unsubscribe(openid, now);
            case InboundMessage.Ordinary o -> residents.recordContact(openid, at, ids);
            case InboundMessage.Scan s -> residents.recordContact(openid, at, ids);
            case InboundMessage.MenuClick c -> residents.recordContact(openid, at, ids);
            case InboundMessage.MenuView v -> residents.recordContact(openid, at, ids);
            case InboundMessage.TemplateSendFinished f -> outboxStore.recordDelivery(f.templateMsgId(), f.status());
            case InboundMessage.LocationReport r -> { }
            case InboundMessage.Unknown u -> { }
        }
    }

    private StoredMessage inbound(InboundMessage message) {
        var envelope = message.envelope();
        return new StoredMessage(envelope.openid(), StoredMessage.Direction.IN, envelope.msgType(),
                message.readable(), message.wechatMsgId(), message.fields(), envelope.createTime(), clock.instant());
    }

    /**
     * A push taken over from a crashed instance that had stored it: handled again unless its reply
     * was stored too (the crash came after the conversation). Crashing between the conversation's
     * writes and storing its reply is the one window where a message is handled twice.
     */
    private boolean unanswered(InboundMessage message) {
        return message.wechatMsgId().map(id -> !messages.replied(id)).orElse(false);
    }
}
