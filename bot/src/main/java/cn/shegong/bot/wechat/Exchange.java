package cn.shegong.bot.wechat;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who answers WeChat: the request (in time) or the outbox (late), decided once, atomically; and
 * whether the push is stored yet, so a late {@code success} is only given for a push that is kept.
 */
final class Exchange {
    private static final int WAITING = 0;
    private static final int ANSWERED = 1;
    private static final int LATE = 2;
    private final AtomicInteger state = new AtomicInteger(WAITING);
    private volatile boolean stored;

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
}
