package cn.shegong.bot.wechat;

import java.util.Optional;
import java.util.logging.Logger;

/**
 * When WeChat is answered {@code success} before a push is stored, the push is kept in the
 * {@link Backlog} first: a push deferred (too busy, MongoDB unreachable, the person's earlier
 * pushes waiting), a message still being handled here when WeChat's budget runs out, and a retry
 * whose first delivery another instance still has. A message kept twice is stored once: its
 * MsgId is unique, and each copy is handled in the person's turn. Two exceptions rest on the
 * handling in this process alone, lost only if it crashes before storing: a late event (no MsgId
 * to store a copy once by) and a late push while Redis is unreachable.
 */
final class Keeping {

    private static final Logger LOG = Logger.getLogger(Keeping.class.getName());

    private final Backlog backlog;
    private final Claims claims;
    private final Lanes lanes;
    private final WebhookMetrics metrics;

    Keeping(Backlog backlog, Claims claims, Lanes lanes, WebhookMetrics metrics) {
        this.backlog = backlog;
        this.claims = claims;
        this.lanes = lanes;
        this.metrics = metrics;
    }

    /**
     * Cannot be handled now: keep the push and answer {@code success}; the drainer handles it soon.
     * The person's turn, if this delivery holds it ({@code inTurn}, or it came with the claim), is
     * freed: the drainer takes it afresh. With nowhere to keep it, WeChat is refused and retries.
     */
    String defer(Claims.Claim claim, InboundMessage message, boolean inTurn) {
        if (inTurn || claim.withTurn()) {
            claims.freeTurn(claim);
        }
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
     * A retry still in another instance's hands when WeChat must be answered: that instance may
     * have died with it a moment ago (its lease not yet run out) or be stuck, and {@code success}
     * alone would lose the push with it. A numbered message is kept: the drainer handles it in the
     * person's turn, after the first delivery if that one is alive, and the unique MsgId stores it
     * once. An event has no such number — a copy could be handled twice — so WeChat is refused and
     * retries; by then the instance is seen dead (the event is taken over) or has answered. With
     * nowhere to keep a message, WeChat is refused too.
     */
    String unfinished(InboundMessage message) {
        if (message.wechatMsgId().isEmpty()) {
            metrics.count("refused_unfinished");
            throw new WebhookRejectedException(503, "unfinished", "an earlier delivery of this event is unfinished; WeChat will retry");
        }
        if (!backlog.keep(claims.retryKey(message.dedupKey()), message)) {
            metrics.count("refused_full");
            throw new WebhookRejectedException(503, "backlog_full", "an earlier delivery is unfinished and there is nowhere to keep this one");
        }
        metrics.count("kept_unfinished");
        return PassiveReply.SUCCESS;
    }

    /**
     * Still being handled here when WeChat's budget runs out: {@code success} now, the answer
     * through the outbox. A numbered message not stored yet is kept too, so that this instance
     * crashing before it is stored cannot lose it; the copy is taken back once the handling has
     * stored it ({@link #stored}), and if the drainer got to it first it finds it stored and leaves
     * it. The copy's Redis work takes a place in the keeping lane, waiting until {@code roomByNanos}
     * (the handling holds the push's place and may be using Redis meanwhile). An event is not
     * copied (it has no number to be stored once by), nor is anything while Redis is unreachable,
     * the backlog full or the keeping lane too: then this handling is its only keeper.
     */
    String late(Claims.Claim claim, InboundMessage message, Exchange exchange, long roomByNanos) {
        metrics.count("late");
        if (exchange.isStored() || message.wechatMsgId().isEmpty()) {
            return PassiveReply.SUCCESS;
        }
        boolean stopping = false;
        Optional<Lanes.Pass> room = Optional.empty();
        try {
            room = lanes.keeping(roomByNanos);
        } catch (InterruptedException e) {
            stopping = true; // the flag is set again once the push is kept: Redis I/O fails under it
        }
        try (Lanes.Pass pass = room.orElse(null)) {
            if (pass != null) {
                copy(claim, message, exchange);
            } else {
                metrics.count("late_uncopied"); // its handling alone keeps it: lost if this instance crashes before storing it
            }
        } finally {
            if (stopping) {
                Thread.currentThread().interrupt();
            }
        }
        return PassiveReply.SUCCESS;
    }

    private void copy(Claims.Claim claim, InboundMessage message, Exchange exchange) {
        try {
            String copy = backlog.keepCopy(claim.retryKey(), message);
            if (copy != null) {
                exchange.copied(copy);
                if (exchange.isStored()) {
                    stored(message, exchange); // stored meanwhile: no need for it
                }
            }
        } catch (RuntimeException e) {
            LOG.fine(() -> "a late push was not kept in the backlog too: " + e.getClass().getSimpleName());
        }
    }

    /** The handling has stored the push: the copy kept for it, if any, is taken back. */
    void stored(InboundMessage message, Exchange exchange) {
        String copy = exchange.copy();
        if (copy != null) {
            try {
                backlog.withdraw(copy, message);
            } catch (RuntimeException e) {
                LOG.fine(() -> "a copy stays in the backlog (handled as a duplicate): " + e.getClass().getSimpleName());
            }
        }
    }
}
