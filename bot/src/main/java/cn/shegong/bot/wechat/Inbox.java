package cn.shegong.bot.wechat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

import cn.shegong.bot.dialogue.Conversation;
import cn.shegong.bot.dialogue.Reply;
import cn.shegong.bot.outbound.Outbox;
import cn.shegong.core.message.MessageStore;
import cn.shegong.core.message.StoredMessage;
import cn.shegong.core.outbox.OutboxStore;
import cn.shegong.core.resident.ResidentStore;
import cn.shegong.core.storage.FieldCipher;
import cn.shegong.core.storage.Redis;

/**
 * Handles one verified push: recognise retries, store what arrived before anything else, keep the
 * resident's subscription and contact time current, let the conversation decide, store the reply.
 * <p>
 * Bounded everywhere: at most {@link #IN_FLIGHT} pushes are handled at once; a push that cannot
 * start within {@link #ADMISSION_WAIT} is kept in the {@link Backlog} and WeChat gets
 * {@code success} at once. A person's pushes are handled one at a time — in this replica by a
 * parked lock, across replicas by a Redis lease taken with the retry claim. WeChat waits 5
 * seconds: if the answer is not ready within {@link #REPLY_BUDGET}, WeChat gets {@code success}
 * and the answer follows as a customer-service message through the outbox.
 */
final class Inbox {

    static final Duration REPLY_BUDGET = Duration.ofMillis(4000);
    /** Below {@link Redis#POOL_SIZE}: each handling uses at most one Redis connection at a time. */
    static final int IN_FLIGHT = 64;
    static final Duration ADMISSION_WAIT = Duration.ofMillis(1500);
    private static final Logger LOG = Logger.getLogger(Inbox.class.getName());

    private final Claims claims;
    private final Backlog backlog;
    private final Semaphore admission = new Semaphore(IN_FLIGHT);
    private final Turns turns;
    private final MessageStore messages;
    private final ResidentStore residents;
    private final OutboxStore outboxStore;
    private final Outbox outbox;
    private final Conversation conversation;
    private final ExecutorService handlers;
    private final Clock clock;
    private final WebhookMetrics metrics;

    Inbox(Redis redis, FieldCipher cipher, MessageStore messages, ResidentStore residents, OutboxStore outboxStore,
          Outbox outbox, Conversation conversation, ExecutorService handlers, Clock clock, WebhookMetrics metrics) {
        this.claims = new Claims(redis, cipher);
        this.turns = new Turns(claims);
        this.backlog = new Backlog(redis, cipher);
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
    String receive(InboundMessage message, String signed, long deadlineNanos) {
        Claims.Result claimed;
        try {
            claimed = claims.claim(message.dedupKey(), message.envelope().openid(), signed);
        } catch (Claims.TooFast e) {
            metrics.count("too_fast");
            return PassiveReply.text(message.envelope(), conversation.tooFast(), clock.instant());
        }
        if (claimed.earlier().isPresent()) {
            metrics.count("duplicate");
            return claimed.earlier().get();
        }
        Claims.Claim claim = claimed.first().orElseThrow();
        if (!admit()) {
            return defer(claim, message);
        }
        Exchange exchange = new Exchange();
        Future<String> handling;
        try {
            handling = handlers.submit(() -> {
                try {
                    return handleInTurn(message, claim, exchange);
                } finally {
                    admission.release();
                }
            });
        } catch (RejectedExecutionException e) {
            admission.release();
            claims.release(claim);
            throw e;
        }
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
            return exchange.giveUp() ? PassiveReply.SUCCESS : join(handling); // else the reply is ready: give it
        } catch (ExecutionException e) {
            throw new IllegalStateException("handling a push failed outside its own error handling", e.getCause());
        }
    }

    private boolean admit() {
        try {
            return admission.tryAcquire(ADMISSION_WAIT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Too busy to start now: keep the push and answer {@code success}; the drainer handles it soon. */
    private String defer(Claims.Claim claim, InboundMessage message) {
        boolean kept;
        try {
            kept = backlog.keep(claim.retryKey(), message);
        } catch (RuntimeException e) {
            claims.releaseOrLog(claim);
            throw e; // a 500: WeChat retries, and the retry is handled afresh
        }
        if (!kept) {
            claims.releaseOrLog(claim);
            metrics.count("refused_full");
            throw new WebhookRejectedException(503, "backlog_full", "too busy; WeChat will retry");
        }
        metrics.count("deferred");
        return PassiveReply.SUCCESS;
    }

    /**
     * Starts saying this instance is alive ({@link Claims#startHeartbeat}), then the backlog's
     * drainer, which handles what {@link #defer} kept, one at a time, the answer as a
     * customer-service message.
     */
    void start() {
        claims.startHeartbeat();
        backlog.start((item, message) -> {
            admission.acquireUninterruptibly();
            try {
                Exchange late = new Exchange();
                late.giveUp();
                handleInTurn(message, claims.forRetryKey(item.retryKey(), message.envelope().openid()), late);
            } finally {
                admission.release();
            }
        });
    }

    void stop() {
        claims.stopHeartbeat();
        backlog.stop();
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

    private String handleInTurn(InboundMessage message, Claims.Claim claim, Exchange exchange) {
        try (AutoCloseable turn = turns.take(message.envelope().openid(), claim)) {
            String answer = handle(message, exchange);
            claims.finishOrLog(claim, answer);
            return answer;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            claims.releaseOrLog(claim);
            return PassiveReply.SUCCESS;
        } catch (Exception e) {
            claims.releaseOrLog(claim);
            metrics.count("failed");
            LOG.log(Level.WARNING, "handling a " + message.envelope().msgType() + " push failed: " + e.getClass().getName(), e);
            return answer(message, conversation.busy(), exchange);
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
        String body = answer(message, reply.get().text(), exchange);
        for (String more : reply.get().more()) { // each in a bubble of its own, after the answer
            messages.insert(new StoredMessage(openid, StoredMessage.Direction.OUT, "text", more, Optional.empty(), Map.of(), now, now));
            outbox.sendTextAfterReply(openid, more);
        }
        reply.get().menu().ifPresent(menu -> outbox.sendMenuAfterReply(openid, menu));
        return body;
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
}
