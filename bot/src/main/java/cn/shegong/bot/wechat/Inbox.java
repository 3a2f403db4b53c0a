package cn.shegong.bot.wechat;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import cn.shegong.bot.dialogue.Conversation;
import cn.shegong.bot.intake.ConversationStore;
import cn.shegong.bot.outbound.Outbox;
import cn.shegong.core.message.MessageStore;
import cn.shegong.core.outbox.OutboxStore;
import cn.shegong.core.resident.ResidentStore;
import cn.shegong.core.storage.FieldCipher;
import cn.shegong.core.storage.Redis;
import cn.shegong.core.storage.StorageFaults;

/**
 * Decides when and where one verified push is handled ({@link Handler} handles it): retries
 * recognised, and a retry of a push still in hand waits for its answer; a push kept in the
 * {@link Backlog} when it cannot be handled now — too busy, MongoDB unreachable, or the person's
 * earlier pushes still waiting there — so WeChat always gets its answer within the budget and
 * one person's pushes are handled in the order they came.
 * <p>
 * Bounded everywhere: a push waits, parked, for a place in one of two lanes ({@link Lanes}): at
 * most {@link Lanes#HANDLING} pushes are claimed and handled at once; one that cannot start within
 * {@link #ADMISSION_WAIT} is claimed and kept in the {@link Backlog} in the keeping lane, and
 * WeChat gets {@code success}; with no room in either before the reply is due, WeChat is refused
 * (503) and retries — nothing was claimed or stored. A person's pushes are handled one at a time —
 * in this replica by a parked lock, across replicas by a Redis lease taken with the retry claim.
 * WeChat waits 5 seconds: if the answer is not ready within {@link #REPLY_BUDGET}, WeChat gets
 * {@code success} and the answer follows as a customer-service message through the outbox.
 * {@code success} is never given for a push that is neither stored nor kept ({@link Keeping}).
 */
final class Inbox {

    static final Duration REPLY_BUDGET = Duration.ofMillis(4000);
    /** How long a push waits for a place in the handling lane before it is kept in the backlog instead ({@link Lanes}). */
    static final Duration ADMISSION_WAIT = Duration.ofMillis(1500);
    /**
     * The end of the budget is kept for keeping the push in Redis before {@code success}
     * ({@link Keeping}): a stalled Redis takes up to a second to give up, so the answer still
     * leaves within WeChat's 5 seconds.
     */
    static final Duration KEEP_RESERVE = Duration.ofMillis(500);
    /** How often a retry that found its push pending looks again (see {@link #awaitEarlier}). */
    static final Duration RETRY_POLL = Duration.ofMillis(100);
    private static final Logger LOG = Logger.getLogger(Inbox.class.getName());

    private final Claims claims;
    private final Backlog backlog;
    private final Keeping keeping;
    private final Lanes lanes = new Lanes();
    private final Turns turns;
    private final Handler handler;
    private final Liveness liveness;
    private final Conversation conversation;
    private final ConversationStore states;
    private final ExecutorService handlers;
    private final Clock clock;
    private final WebhookMetrics metrics;
    private final BooleanSupplier storeDown;

    /** {@code storeDown}: true while MongoDB does not answer; pushes then wait in the backlog. */
    Inbox(Redis redis, FieldCipher cipher, MessageStore messages, ResidentStore residents, OutboxStore outboxStore,
          Outbox outbox, Conversation conversation, ConversationStore states, ExecutorService handlers, Clock clock,
          WebhookMetrics metrics, BooleanSupplier storeDown) {
        this.liveness = new Liveness(redis);
        this.claims = new Claims(redis, cipher, liveness, states::keys);
        this.states = states;
        this.turns = new Turns(claims);
        this.backlog = new Backlog(redis, cipher, liveness.id(), liveness.prefix(), storeDown);
        this.keeping = new Keeping(backlog, claims, lanes, metrics);
        this.storeDown = storeDown;
        this.handler = new Handler(messages, residents, outboxStore, outbox, conversation, clock, metrics);
        this.conversation = conversation;
        this.handlers = handlers;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Returns the HTTP body for WeChat — a passive reply's XML or {@code success} — by {@code deadlineNanos}. */
    String receive(InboundMessage message, String signed, long deadlineNanos) {
        long handOver = deadlineNanos - KEEP_RESERVE.toNanos(); // from here on, keep the push and answer success
        Optional<Lanes.Pass> entered;
        try {
            entered = lanes.enter(ADMISSION_WAIT.toNanos(), handOver);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WebhookRejectedException(503, "stopping", "stopping; WeChat will retry");
        }
        if (entered.isEmpty()) { // nothing claimed, nothing kept: WeChat's retry comes back to a shorter queue
            metrics.count("refused_busy");
            throw new WebhookRejectedException(503, "busy", "too busy to keep this push in time; WeChat will retry");
        }
        try (Lanes.Pass pass = entered.get()) {
            return receive(message, signed, pass, deadlineNanos);
        }
    }

    /** In its lane: claimed, then handled (the handling lane) or kept for later (the keeping lane). */
    private String receive(InboundMessage message, String signed, Lanes.Pass pass, long deadlineNanos) {
        long handOver = deadlineNanos - KEEP_RESERVE.toNanos();
        Claims.Result claimed;
        try {
            claimed = claims.claim(message.dedupKey(), message.envelope().openid(), signed, pass.handles());
        } catch (Claims.TooFast e) {
            metrics.count("too_fast");
            return PassiveReply.text(message.envelope(), conversation.tooFast(), clock.instant());
        }
        if (claimed.pending()) {
            claimed = awaitEarlier(message, signed, claimed, handOver, pass.handles());
        }
        if (claimed.elsewhere()) {
            return keeping.unfinished(message);
        }
        if (claimed.earlier().isPresent()) {
            metrics.count("duplicate");
            return claimed.earlier().get();
        }
        Claims.Claim claim = claimed.first().orElseThrow();
        if (claimed.behindKept() || !pass.handles()) { // behind the person's pushes waiting in the backlog, or no room to handle it
            return keeping.defer(claim, message, false);
        }
        Exchange exchange = new Exchange();
        Future<String> handling;
        pass.handOver();
        try {
            handling = handlers.submit(() -> {
                try {
                    return handleInTurn(message, claim, exchange, false);
                } finally {
                    pass.giveBack();
                }
            });
        } catch (RejectedExecutionException e) {
            pass.giveBack();
            claims.release(claim);
            throw e;
        }
        try {
            return handling.get(Math.max(0, handOver - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return exchange.giveUp() ? keeping.late(claim, message, exchange, deadlineNanos - KEEP_RESERVE.toNanos() / 2) : join(handling);
        } catch (InterruptedException e) {
            try { // the server is stopping: keep the push before answering, the flag cleared meanwhile (Redis I/O fails under it)
                return exchange.giveUp() ? keeping.late(claim, message, exchange, deadlineNanos - KEEP_RESERVE.toNanos() / 2) : join(handling); // else the reply is ready: give it
            } finally {
                Thread.currentThread().interrupt();
            }
        } catch (ExecutionException e) {
            throw rethrown(e);
        }
    }

    /**
     * A retry of a push another delivery is still handling: wait, within the reply budget, for
     * that delivery's answer — the retry then gets the very same — or for its instance to be seen
     * dead ({@link Liveness#LEASE} is shorter than this wait), when this delivery takes it over.
     * Answering {@code success} at once would tell WeChat a push was kept that a crashed instance
     * may never have stored (see {@link Keeping#unfinished} for a wait that runs out). Polled: Redis
     * offers no wait on a key's change short of pub/sub.
     */
    private Claims.Result awaitEarlier(InboundMessage message, String signed, Claims.Result pending, long deadlineNanos,
                                       boolean takeTurn) {
        Claims.Result r = pending;
        try {
            while (r.pending() && deadlineNanos - System.nanoTime() > RETRY_POLL.toNanos()) {
                Thread.sleep(RETRY_POLL);
                r = claims.claim(message.dedupKey(), message.envelope().openid(), signed, takeTurn);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return r;
    }

    /**
     * Starts saying this instance is alive ({@link Liveness#start}), then the backlog's
     * drainer, which handles what {@link Keeping} kept, one at a time, the answer as a
     * customer-service message.
     */
    void start() {
        liveness.start();
        backlog.start((item, message) -> {
            try (Lanes.Pass pass = lanes.handling()) {
                Exchange late = new Exchange();
                late.giveUp();
                handleInTurn(message, claims.forRetryKey(item.retryKey(), message.envelope().openid(), !item.copy()), late, true);
            }
        });
    }

    void stop() {
        liveness.stop();
        backlog.stop();
    }

    /** A refusal decided while handling (e.g. nowhere to keep the push: 503) keeps its status; anything else is a 500. */
    private static RuntimeException rethrown(ExecutionException e) {
        return e.getCause() instanceof WebhookRejectedException refused ? refused
                : new IllegalStateException("handling a push failed outside its own error handling", e.getCause());
    }

    private static String join(Future<String> handling) {
        try {
            return handling.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return PassiveReply.SUCCESS;
        } catch (ExecutionException e) {
            throw rethrown(e);
        }
    }

    /**
     * Handles the push in the person's turn. MongoDB failing to answer keeps the push in the backlog
     * (its claim stays pending) and WeChat gets {@code success}; for a push already from the backlog
     * the failure goes back to the drainer, which puts it back.
     */
    private String handleInTurn(InboundMessage message, Claims.Claim claim, Exchange exchange, boolean fromBacklog) {
        String openid = message.envelope().openid();
        try (Turns.Held turn = turns.take(openid, claim); ConversationStore.Primed read = states.prime(openid, turn.states())) {
            if (!fromBacklog && storeDown.getAsBoolean()) { // in the person's turn, so it is kept behind their push in hand
                metrics.count("store_down");
                return keeping.defer(claim, message, true);
            }
            String answer = handler.handle(message, claim.takenOver(), exchange);
            keeping.stored(message, exchange);
            claims.finishOrLog(claim, answer);
            return answer;
        } catch (InterruptedException e) {
            claims.releaseOrLog(claim); // before the flag is set again: Redis I/O fails under it and would mark Redis down
            Thread.currentThread().interrupt();
            // stopping: not handled, so not answered success (WeChat retries; a backlog item stays in the working list)
            throw new WebhookRejectedException(503, "stopping", "stopping; WeChat will retry");
        } catch (RuntimeException e) {
            if (!StorageFaults.unreachable(e)) {
                return failed(message, claim, exchange, e);
            }
            if (fromBacklog) {
                throw e;
            }
            metrics.count("store_down");
            return keeping.defer(claim, message, true);
        } catch (Exception e) {
            return failed(message, claim, exchange, e);
        }
    }

    /** A fault retrying cannot fix: the claim is released (a retry is handled afresh) and the person is told we are busy. */
    private String failed(InboundMessage message, Claims.Claim claim, Exchange exchange, Exception e) {
        claims.releaseOrLog(claim);
        metrics.count("failed");
        LOG.log(Level.WARNING, "handling a " + message.envelope().msgType() + " push failed: " + e.getClass().getName(), e);
        return handler.answer(message, conversation.busy(), exchange);
    }
}
