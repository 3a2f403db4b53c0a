package cn.shegong.bot.wechat;

/** The body is not a WeChat XML message we can read. Answered 400; nothing is stored. */
public final class MalformedXmlException extends WebhookRejectedException {
    public MalformedXmlException(String reason) {
        super(400, "malformed", reason);
    }
}
