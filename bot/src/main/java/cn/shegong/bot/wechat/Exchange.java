package cn.shegong.bot.wechat;

import java.util.concurrent.atomic.AtomicInteger;

/** Who answers WeChat: the request (in time) or the outbox (late). Decided once, atomically. */
final class Exchange {
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
