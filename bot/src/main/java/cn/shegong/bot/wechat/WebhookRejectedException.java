package cn.shegong.bot.wechat;

/**
 * A webhook request refused before anything is stored. {@code outcome} names the counter it is
 * counted under; the reason goes into the response body and the debug log, never any content.
 */
public class WebhookRejectedException extends RuntimeException {

    private final int status;
    private final String outcome;

    public WebhookRejectedException(int status, String outcome, String reason) {
        super(reason, null, false, false);
        this.status = status;
        this.outcome = outcome;
    }

    public int status() {
        return status;
    }

    public String outcome() {
        return outcome;
    }
}
