package cn.shegong.bot.wechat;

import java.time.Instant;

/**
 * The XML of a passive reply, built directly: To and From swapped from the inbound envelope,
 * CreateTime in seconds, user-visible text in CDATA that cannot be broken out of.
 */
public final class PassiveReply {

    /** The body that tells WeChat we received the push and have nothing to say. */
    public static final String SUCCESS = "success";

    private PassiveReply() {
    }

    public static String text(InboundMessage.Envelope to, String content, Instant now) {
        return "<xml><ToUserName>" + WxXml.cdata(to.openid()) + "</ToUserName>"
                + "<FromUserName>" + WxXml.cdata(to.account()) + "</FromUserName>"
                + "<CreateTime>" + now.getEpochSecond() + "</CreateTime>"
                + "<MsgType><![CDATA[text]]></MsgType>"
                + "<Content>" + WxXml.cdata(content) + "</Content></xml>";
    }
}
