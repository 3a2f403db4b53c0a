package cn.shegong.bot.wechat;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who answers WeChat: the request (in time) or the outbox (late), decided once, atomically;
 * whether the push is stored yet, so a late {@code success} is given for a push that is kept; and
 * the copy kept for it, taken back once the push is stored.
 */
final class Exchange {
    private static final int WAITING = 0;
    private static final int ANSWERED = 1;
    private static final int LATE = 2;
    private final AtomicInteger state = new AtomicInteger(WAITING);
    private volatile boolean stored;
    private volatile String copy;

    boolean answerInTime() {
        return state.compareAndSet(WAITING, ANSWERED);
    }

    boolean giveUp() {
        return state.compareAndSet(WAITING, LATE);
    }

    /** The push is in MongoDB (stored now, or found stored before). */
    void stored() {
        stored = true;
    }

    boolean isStored() {
        return stored;
    }

    /** A copy of the push was kept in the backlog when WeChat got {@code success} before it was stored. */
    void copied(String sealed) {
        copy = sealed;
    }

    /** The kept copy, null when none was kept. */
    String copy() {
        return copy;
    }
}
