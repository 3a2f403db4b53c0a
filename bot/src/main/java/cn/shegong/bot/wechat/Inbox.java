package cn.shegong.bot.wechat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

import cn.shegong.bot.dialogue.Conversation;
import cn.shegong.bot.dialogue.Reply;
import cn.shegong.bot.outbound.Outbox;
import cn.shegong.core.message.MessageStore;
import cn.shegong.core.message.StoredMessage;
import cn.shegong.core.outbox.OutboxStore;
import cn.shegong.core.resident.ResidentStore;
import cn.shegong.core.storage.Redis;
import cn.shegong.core.storage.RedisLock;

/**
 * Handles one verified push: recognise retries, store what arrived before anything else, keep the
 * resident's subscription and contact time current, let the conversation decide, store the reply.
 * <p>
 * Pushes of one person are handled one at a time across replicas (a Redis lock per openid).
 * WeChat waits 5 seconds: if the answer is not ready within {@link #REPLY_BUDGET}, WeChat gets
 * {@code success} at once and the answer follows as a customer-service message through the outbox.
 */
final class Inbox {

    static final Duration REPLY_BUDGET = Duration.ofMillis(4500);
    private static final Duration USER_LOCK_LEASE = Duration.ofSeconds(30);
    private static final Duration USER_LOCK_WAIT = Duration.ofSeconds(60);
    private static final Logger LOG = Logger.getLogger(Inbox.class.getName());

    private final Dedup dedup;
    private final MessageStore messages;
    private final ResidentStore residents;
    private final OutboxStore outboxStore;
    private final Outbox outbox;
    private final Conversation conversation;
    private final Redis redis;
    private final ExecutorService handlers;
    private final Clock clock;
    private final WebhookMetrics metrics;

    Inbox(Redis redis, MessageStore messages, ResidentStore residents, OutboxStore outboxStore, Outbox outbox,
          Conversation conversation, ExecutorService handlers, Clock clock, WebhookMetrics metrics) {
        this.dedup = new Dedup(redis);
        this.redis = redis;
        this.messages = messages;
        this.residents = residents;
        this.outboxStore = outboxStore;
        this.outbox = outbox;
        this.conversation = conversation;
        this.handlers = handlers;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Returns the HTTP body for WeChat — a passive reply's XML or {@code success} — by {@code deadlineNanos}. */
    String receive(InboundMessage message, long deadlineNanos) {
        Optional<String> earlier = dedup.claim(message.dedupKey());
        if (earlier.isPresent()) {
            metrics.count("duplicate");
            return earlier.get();
        }
        Exchange exchange = new Exchange();
        Future<String> handling = handlers.submit(() -> handleInTurn(message, exchange));
        try {
            return handling.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (exchange.giveUp()) {
                metrics.count("late");
                return PassiveReply.SUCCESS;
            }
            return join(handling);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return PassiveReply.SUCCESS;
        } catch (ExecutionException e) {
            throw new IllegalStateException("handling a push failed outside its own error handling", e.getCause());
        }
    }

    private static String join(Future<String> handling) {
        try {
            return handling.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return PassiveReply.SUCCESS;
        } catch (ExecutionException e) {
            throw new IllegalStateException("handling a push failed outside its own error handling", e.getCause());
        }
    }

    private String handleInTurn(InboundMessage message, Exchange exchange) throws InterruptedException {
        RedisLock turn = new RedisLock(redis, redis.key("wx", "user", message.envelope().openid()), USER_LOCK_LEASE);
        boolean locked = turn.tryLock(USER_LOCK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (!locked) {
            LOG.warning("waited " + USER_LOCK_WAIT.toSeconds() + " s for a person's earlier message; handling this one anyway");
        }
        try {
            String answer = handle(message, exchange);
            dedup.complete(message.dedupKey(), answer);
            return answer;
        } catch (RuntimeException e) {
            dedup.release(message.dedupKey());
            metrics.count("failed");
            LOG.log(Level.WARNING, "handling a " + message.envelope().msgType() + " push failed: " + e.getClass().getName(), e);
            return answer(message, conversation.busy(), exchange);
        } finally {
            if (locked) {
                turn.unlock();
            }
        }
    }

    private String handle(InboundMessage message, Exchange exchange) {
        Instant received = clock.instant();
        if (!messages.insert(inbound(message))) {
            metrics.count("duplicate");
            return PassiveReply.SUCCESS;
        }
        track(message);
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
        messages.insert(new StoredMessage(openid, StoredMessage.Direction.OUT, "text", reply.get().text(), Optional.empty(),
                Map.of(), now, now));
        reply.get().caseId().ifPresent(caseId -> messages.linkToCase(openid, received, caseId));
        return answer(message, reply.get().text(), exchange);
    }

    /** The passive reply if WeChat is still waiting; else the same text as a customer-service message. */
    private String answer(InboundMessage message, String text, Exchange exchange) {
        if (exchange.answerInTime()) {
            return PassiveReply.text(message.envelope(), text, clock.instant());
        }
        outbox.sendText(message.envelope().openid(), text);
        return PassiveReply.SUCCESS;
    }

    /** Subscription state, the 48-hour window (messages, follows, scans, menu taps) and template delivery reports. */
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
            case InboundMessage.TemplateSendFinished f -> outboxStore.recordDelivery(f.templateMsgId(), f.status());
            case InboundMessage.LocationReport r -> { }
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

    /** Who answers WeChat: the request (in time) or the outbox (late). Decided once, atomically. */
    private static final class Exchange {
        private static final int WAITING = 0;
        private static final int ANSWERED = 1;
        private static final int LATE = 2;
        private final AtomicInteger state = new AtomicInteger(WAITING);

        boolean answerInTime() {
            return state.compareAndSet(WAITING, ANSWERED);
        }

        boolean giveUp() {
            return state.compareAndSet(WAITING, LATE);
        }
    }
}
