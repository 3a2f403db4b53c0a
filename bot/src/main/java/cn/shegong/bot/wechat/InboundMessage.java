package cn.shegong.bot.wechat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A message or event pushed by WeChat (shared/wechat.md §2), read from its XML fields. Every type
 * WeChat documents for an Official Account has its record; anything else arrives as
 * {@link Unknown} with its fields kept, so nothing is lost.
 */
public sealed interface InboundMessage {

    Envelope envelope();

    /** The type's own elements, as received (for storage). */
    Map<String, String> fields();

    /** The common fields of every push: our account, the sender's openid, WeChat's CreateTime and MsgType. */
    record Envelope(String account, String openid, Instant createTime, String msgType) {
    }

    /** An ordinary message: it has a MsgId and counts as the user's interaction. */
    sealed interface Ordinary extends InboundMessage {
        long msgId();
    }

    record Text(Envelope envelope, long msgId, String content, Map<String, String> fields) implements Ordinary {
    }

    record Image(Envelope envelope, long msgId, String picUrl, String mediaId, Map<String, String> fields) implements Ordinary {
    }

    /** {@code recognition} is WeChat's speech-to-text, being withdrawn: usually empty now. */
    record Voice(Envelope envelope, long msgId, String mediaId, String format, Optional<String> recognition,
                 Map<String, String> fields) implements Ordinary {
    }

    /** {@code video} or {@code shortvideo}. */
    record Video(Envelope envelope, long msgId, String mediaId, String thumbMediaId, Map<String, String> fields)
            implements Ordinary {
    }

    record Location(Envelope envelope, long msgId, double latitude, double longitude, String label,
                    Map<String, String> fields) implements Ordinary {
    }

    record Link(Envelope envelope, long msgId, String title, String url, Map<String, String> fields) implements Ordinary {
    }

    /** Followed the account; {@code scene} is the QR code's scene value without WeChat's {@code qrscene_} prefix. */
    record Subscribe(Envelope envelope, Optional<String> scene, Map<String, String> fields) implements InboundMessage {
    }

    record Unsubscribe(Envelope envelope, Map<String, String> fields) implements InboundMessage {
    }

    /** A follower scanned a parametric QR code. */
    record Scan(Envelope envelope, String scene, Map<String, String> fields) implements InboundMessage {
    }

    /** The periodic location report (only if the user allowed it). Never answered. */
    record LocationReport(Envelope envelope, double latitude, double longitude, Map<String, String> fields)
            implements InboundMessage {
    }

    record MenuClick(Envelope envelope, String key, Map<String, String> fields) implements InboundMessage {
    }

    record MenuView(Envelope envelope, String url, Map<String, String> fields) implements InboundMessage {
    }

    /** WeChat's delivery report of a template message; {@code status} is {@code success} or starts with {@code failed}. */
    record TemplateSendFinished(Envelope envelope, long templateMsgId, String status, Map<String, String> fields)
            implements InboundMessage {
    }

    /** A type or event we do not handle (yet). */
    record Unknown(Envelope envelope, Optional<Long> msgId, Map<String, String> fields) implements InboundMessage {
    }

    /**
     * WeChat's number for a message (ordinary messages, and unknown types that carry one); events
     * have none. A numbered push is stored once whatever the number of deliveries (a unique index).
     */
    default Optional<Long> wechatMsgId() {
        return this instanceof Ordinary o ? Optional.of(o.msgId()) : this instanceof Unknown u ? u.msgId() : Optional.empty();
    }

    /**
     * The key under which WeChat's retries of this push are recognised: MsgId for ordinary
     * messages, sender + CreateTime + Event + EventKey for events (which have no MsgId).
     */
    default String dedupKey() {
        if (this instanceof Ordinary o) {
            return "m" + o.msgId();
        }
        if (this instanceof Unknown u && u.msgId().isPresent()) {
            return "m" + u.msgId().get();
        }
        return "e" + envelope().openid() + ":" + envelope().createTime().getEpochSecond() + ":"
                + fields().getOrDefault("Event", "") + ":" + fields().getOrDefault("EventKey", "");
    }

    /** The words a person can read in this push, for the transcript: text, speech, a place, a link. */
    default String readable() {
        return switch (this) {
            case Text t -> t.content();
            case Voice v -> v.recognition().orElse("");
            case Location l -> l.label();
            case Link l -> l.title();
            case MenuClick c -> c.key();
            case Subscribe s -> s.scene().orElse("");
            case Scan s -> s.scene();
            default -> "";
        };
    }

    Set<String> COMMON = Set.of("ToUserName", "FromUserName", "CreateTime", "MsgType", "MsgId");

    /** The push's XML fields as WeChat sent them: {@link #fields()} with the common ones put back. */
    default Map<String, String> xml() {
        Map<String, String> all = new LinkedHashMap<>(fields());
        all.put("ToUserName", envelope().account());
        all.put("FromUserName", envelope().openid());
        all.put("CreateTime", Long.toString(envelope().createTime().getEpochSecond()));
        all.put("MsgType", envelope().msgType());
        Optional<Long> msgId = this instanceof Ordinary o ? Optional.of(o.msgId())
                : this instanceof Unknown u ? u.msgId() : Optional.empty();
        msgId.ifPresent(id -> all.put("MsgId", Long.toString(id)));
        return all;
    }

    /** 2012-08-23, when Official Accounts opened, and 2100-01-01: outside, a CreateTime is forged or broken. */
    static final long EARLIEST_CREATE_TIME = 1_345_680_000L;
    static final long LATEST_CREATE_TIME = 4_102_444_800L;

    /** Builds the message from parsed XML fields; a push without its common or required fields is malformed. */
    static InboundMessage from(Map<String, String> xml) {
        var x = new Fields(xml);
        long createTime = x.number("CreateTime");
        if (createTime < EARLIEST_CREATE_TIME || createTime > LATEST_CREATE_TIME) {
            throw new MalformedXmlException("CreateTime out of range");
        }
        Envelope e = new Envelope(x.required("ToUserName"), x.required("FromUserName"),
                Instant.ofEpochSecond(createTime), x.required("MsgType"));
        Map<String, String> own = new LinkedHashMap<>(xml);
        own.keySet().removeAll(COMMON);
        Map<String, String> f = Map.copyOf(own);
        return switch (e.msgType()) {
            case "text" -> new Text(e, x.number("MsgId"), xml.getOrDefault("Content", ""), f);
            case "image" -> new Image(e, x.number("MsgId"), xml.getOrDefault("PicUrl", ""), x.required("MediaId"), f);
            case "voice" -> new Voice(e, x.number("MsgId"), x.required("MediaId"), xml.getOrDefault("Format", ""),
                    Optional.ofNullable(xml.get("Recognition")).filter(r -> !r.isBlank()), f);
            case "video", "shortvideo" -> new Video(e, x.number("MsgId"), x.required("MediaId"),
                    xml.getOrDefault("ThumbMediaId", ""), f);
            case "location" -> new Location(e, x.number("MsgId"), x.decimal("Location_X"), x.decimal("Location_Y"),
                    xml.getOrDefault("Label", ""), f);
            case "link" -> new Link(e, x.number("MsgId"), xml.getOrDefault("Title", ""), xml.getOrDefault("Url", ""), f);
            case "event" -> event(e, x, f);
            default -> new Unknown(e, x.optionalNumber("MsgId"), f);
        };
    }

    private static InboundMessage event(Envelope e, Fields x, Map<String, String> f) {
        String key = f.getOrDefault("EventKey", "");
        return switch (x.required("Event").toLowerCase(Locale.ROOT)) {
            case "subscribe" -> new Subscribe(e, Optional.of(key).filter(k -> k.startsWith("qrscene_"))
                    .map(k -> k.substring("qrscene_".length())), f);
            case "unsubscribe" -> new Unsubscribe(e, f);
            case "scan" -> new Scan(e, key, f);
            case "location" -> new LocationReport(e, x.decimal("Latitude"), x.decimal("Longitude"), f);
            case "click" -> new MenuClick(e, key, f);
            case "view" -> new MenuView(e, key, f);
            case "templatesendjobfinish" -> new TemplateSendFinished(e, x.number("MsgID"), f.getOrDefault("Status", ""), f);
            default -> new Unknown(e, Optional.empty(), f);
        };
    }

    /** Typed reads of XML fields that turn a missing or broken value into a 400. */
    record Fields(Map<String, String> xml) {
        String required(String name) {
            String value = xml.get(name);
            if (value == null || value.isEmpty()) {
                throw new MalformedXmlException("missing " + name);
            }
            return value;
        }

        long number(String name) {
            try {
                return Long.parseLong(required(name));
            } catch (NumberFormatException ex) {
                throw new MalformedXmlException(name + " is not a number");
            }
        }

        Optional<Long> optionalNumber(String name) {
            return xml.containsKey(name) ? Optional.of(number(name)) : Optional.empty();
        }

        double decimal(String name) {
            try {
                return Double.parseDouble(required(name));
            } catch (NumberFormatException ex) {
                throw new MalformedXmlException(name + " is not a number");
            }
        }
    }
}
