package cn.shegong.bot.wechat;

import java.util.logging.Logger;

/**
 * When WeChat is answered {@code success} before a push is stored, the push is kept in the
 * {@link Backlog} first — never acknowledged on the hope that a handler somewhere finishes it: a
 * push deferred (too busy, MongoDB unreachable, the person's earlier pushes waiting), one still
 * being handled here when WeChat's budget runs out, and a retry whose first delivery another
 * instance still has. A push kept twice is stored once: its message id is unique, and each copy
 * is handled in the person's turn.
 */
final class Keeping {

    private static final Logger LOG = Logger.getLogger(Keeping.class.getName());

    private final Backlog backlog;
    private final Claims claims;
    private final WebhookMetrics metrics;

    Keeping(Backlog backlog, Claims claims, WebhookMetrics metrics) {
        this.backlog = backlog;
        this.claims = claims;
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
     * alone would lose the push with it. The drainer handles the kept copy after the first
     * delivery if that one is alive (it holds the person's turn). With nowhere to keep it, WeChat
     * is refused and retries.
     */
    String unfinished(InboundMessage message) {
        if (!backlog.keep(claims.retryKey(message.dedupKey()), message)) {
            metrics.count("refused_full");
            throw new WebhookRejectedException(503, "backlog_full", "an earlier delivery is unfinished and there is nowhere to keep this one");
        }
        metrics.count("kept_unfinished");
        return PassiveReply.SUCCESS;
    }

    /**
     * Still being handled here when WeChat's budget runs out: {@code success} now, the answer
     * through the outbox. Unless the push is stored already, it is kept too, so this instance
     * crashing before it is stored cannot lose it; the copy comes after this handling in the
     * person's turn and finds it done. With nowhere to keep it, this handling is its keeper.
     */
    String late(Claims.Claim claim, InboundMessage message, Exchange exchange) {
        metrics.count("late");
        if (!exchange.isStored()) {
            try {
                backlog.keep(claim.retryKey(), message);
            } catch (RuntimeException e) {
                LOG.fine(() -> "a late push was not kept in the backlog too: " + e.getClass().getSimpleName());
            }
        }
        return PassiveReply.SUCCESS;
    }
}
