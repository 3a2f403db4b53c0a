package cn.shegong.fakewechat;

import java.util.LinkedHashMap;
import java.util.Map;

import cn.shegong.bot.wechat.WxXml;

/**
 * The XML bodies WeChat pushes, built from their fields in the documented element order
 * (shared/wechat.md §2). {@code account} is the Official Account's original id.
 */
public final class Pushes {

    public static final String ACCOUNT = "gh_7f083739789a";

    private Pushes() {
    }

    public static String text(String openid, long createTime, long msgId, String content) {
        return message(openid, createTime, "text", Map.of("Content", content), msgId);
    }

    /** A tap on an option of a menu message: a text whose Content is the option's label, carrying its id. */
    public static String tap(String openid, long createTime, long msgId, String label, String menuId) {
        return message(openid, createTime, "text", ordered("Content", label, "bizmsgmenuid", menuId), msgId);
    }

    public static String image(String openid, long createTime, long msgId, String mediaId) {
        return message(openid, createTime, "image", ordered("PicUrl", "http://mmbiz.qpic.cn/" + mediaId, "MediaId", mediaId), msgId);
    }

    /** A voice message; {@code recognition} null leaves the element out, as WeChat now mostly does. */
    public static String voice(String openid, long createTime, long msgId, String mediaId, String recognition) {
        Map<String, String> fields = ordered("MediaId", mediaId, "Format", "amr");
        if (recognition != null) {
            fields.put("Recognition", recognition);
        }
        return message(openid, createTime, "voice", fields, msgId);
    }

    public static String location(String openid, long createTime, long msgId, double lat, double lng, String label) {
        return message(openid, createTime, "location", ordered("Location_X", Double.toString(lat),
                "Location_Y", Double.toString(lng), "Scale", "15", "Label", label), msgId);
    }

    public static String event(String openid, long createTime, String event, String eventKey) {
        Map<String, String> fields = ordered("Event", event);
        if (eventKey != null) {
            fields.put("EventKey", eventKey);
        }
        return message(openid, createTime, "event", fields, null);
    }

    /** WeChat's asynchronous delivery report of a template message; note WeChat's spelling {@code MsgID}. */
    public static String templateFinished(String openid, long createTime, long msgId, String status) {
        return "<xml><ToUserName>" + WxXml.cdata(ACCOUNT) + "</ToUserName><FromUserName>" + WxXml.cdata(openid)
                + "</FromUserName><CreateTime>" + createTime + "</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                + "<Event><![CDATA[TEMPLATESENDJOBFINISH]]></Event><MsgID>" + msgId + "</MsgID><Status>"
                + WxXml.cdata(status) + "</Status></xml>";
    }

    /** Any push: the common fields, then the type's own, then MsgId when given. */
    public static String message(String openid, long createTime, String msgType, Map<String, String> fields, Long msgId) {
        StringBuilder xml = new StringBuilder("<xml><ToUserName>").append(WxXml.cdata(ACCOUNT)).append("</ToUserName>")
                .append("<FromUserName>").append(WxXml.cdata(openid)).append("</FromUserName>")
                .append("<CreateTime>").append(createTime).append("</CreateTime>")
                .append("<MsgType>").append(WxXml.cdata(msgType)).append("</MsgType>");
        fields.forEach((name, value) -> xml.append('<').append(name).append('>').append(WxXml.cdata(value))
                .append("</").append(name).append('>'));
        if (msgId != null) {
            xml.append("<MsgId>").append(msgId).append("</MsgId>");
        }
        return xml.append("</xml>").toString();
    }

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
