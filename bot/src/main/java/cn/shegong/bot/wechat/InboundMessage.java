package cn.shegong.bot.wechat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A message or event pushed by WeChat, read from its XML fields. The foundation handles text;
 * every other type arrives as {@link Other} with its fields kept, so nothing is lost while the
 * channel grows.
 */
public sealed interface InboundMessage {

    Envelope envelope();

    /** The common fields of every push: our account, the sender's openid, WeChat's CreateTime and MsgType. */
    record Envelope(String account, String openid, Instant createTime, String msgType) {
    }

    /** A text the user typed. */
    record Text(Envelope envelope, long msgId, String content) implements InboundMessage {
    }

    /** Any other message type or event; {@code fields} are the type's own elements. */
    record Other(Envelope envelope, Optional<Long> msgId, Map<String, String> fields) implements InboundMessage {
    }

    /**
     * The key under which WeChat's retries of this push are recognised: MsgId for ordinary
     * messages, sender + CreateTime + Event + EventKey for events (which have no MsgId).
     */
    default String dedupKey() {
        return switch (this) {
            case Text t -> "m" + t.msgId();
            case Other o -> o.msgId().map(id -> "m" + id).orElseGet(() -> "e" + envelope().openid() + ":"
                    + envelope().createTime().getEpochSecond() + ":" + o.fields().getOrDefault("Event", "")
                    + ":" + o.fields().getOrDefault("EventKey", ""));
        };
    }

    /** Builds the message from parsed XML fields; a push without its common fields is malformed. */
    static InboundMessage from(Map<String, String> xml) {
        Envelope envelope = new Envelope(
                required(xml, "ToUserName"),
                required(xml, "FromUserName"),
                Instant.ofEpochSecond(number(xml, "CreateTime")),
                required(xml, "MsgType"));
        Optional<Long> msgId = xml.containsKey("MsgId") ? Optional.of(number(xml, "MsgId")) : Optional.empty();
        if ("text".equals(envelope.msgType())) {
            return new Text(envelope, msgId.orElseThrow(() -> new MalformedXmlException("text without MsgId")),
                    xml.getOrDefault("Content", ""));
        }
        Map<String, String> fields = new LinkedHashMap<>(xml);
        for (String common : new String[] {"ToUserName", "FromUserName", "CreateTime", "MsgType", "MsgId"}) {
            fields.remove(common);
        }
        return new Other(envelope, msgId, Map.copyOf(fields));
    }

    private static String required(Map<String, String> xml, String name) {
        String value = xml.get(name);
        if (value == null || value.isEmpty()) {
            throw new MalformedXmlException("missing " + name);
        }
        return value;
    }

    private static long number(Map<String, String> xml, String name) {
        try {
            return Long.parseLong(required(xml, name));
        } catch (NumberFormatException e) {
            throw new MalformedXmlException(name + " is not a number");
        }
    }
}
