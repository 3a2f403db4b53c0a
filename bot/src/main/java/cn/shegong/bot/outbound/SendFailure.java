package cn.shegong.bot.outbound;

import java.util.Set;

/**
 * A send WeChat refused or that did not get through, as a value that says what to do next
 * (shared/wechat.md §4.7). Never carries the message's content.
 */
public final class SendFailure extends Exception {

    /** What the outbox does about it. */
    public enum Kind {
        /** Busy (-1), HTTP errors and timeouts (WxJava's negative codes), a token that stayed invalid: retry, bounded. */
        RETRY,
        /** Quota reached (45009, 45011): retry much later. */
        QUOTA,
        /** Outside the 48-hour window or its quota (45015, 45047): use the template message instead. */
        WINDOW_CLOSED,
        /** Unfollowed, blacklisted, wrong openid (43004, 43019, 40003): never retry. */
        UNREACHABLE,
        /** Anything else (a bad template, bad arguments): retrying cannot help. */
        REFUSED
    }

    private static final Set<Integer> QUOTA = Set.of(45009, 45011);
    private static final Set<Integer> WINDOW = Set.of(45015, 45047);
    private static final Set<Integer> UNREACHABLE = Set.of(43004, 43019, 40003);
    private static final Set<Integer> TOKEN = Set.of(40001, 40014, 42001);

    private final int errcode;
    private final Kind kind;

    SendFailure(int errcode, String detail) {
        super(errcode + " " + detail, null, false, false);
        this.errcode = errcode;
        this.kind = classify(errcode);
    }

    /** A failure with no errcode: the network, a timeout, an HTTP error page. */
    static SendFailure transport(String detail) {
        return new SendFailure(-1, detail);
    }

    static Kind classify(int errcode) {
        if (QUOTA.contains(errcode)) {
            return Kind.QUOTA;
        }
        if (WINDOW.contains(errcode)) {
            return Kind.WINDOW_CLOSED;
        }
        if (UNREACHABLE.contains(errcode)) {
            return Kind.UNREACHABLE;
        }
        return errcode < 0 || TOKEN.contains(errcode) ? Kind.RETRY : Kind.REFUSED;
    }

    public int errcode() {
        return errcode;
    }

    public Kind kind() {
        return kind;
    }
}
