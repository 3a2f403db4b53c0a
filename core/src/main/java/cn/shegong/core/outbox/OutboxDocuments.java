package cn.shegong.core.outbox;

import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import cn.shegong.core.storage.FieldCipher;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * An outbox item's stored form, both ways: texts and notice values encrypted (a reply or a
 * preview can repeat what someone wrote), a menu's options in the clear.
 */
final class OutboxDocuments {

    /** Moved on by every change of an item's state, so a claim changes only the state it saw. */
    static final String VERSION = "v";

    private final FieldCipher cipher;

    OutboxDocuments(FieldCipher cipher) {
        this.cipher = cipher;
    }

    /** A text and/or notice waiting to be sent from {@code due}. */
    Document message(ObjectId id, String openid, Optional<String> text, Optional<OutboxItem.Notice> notice, Instant now, Instant due) {
        Document d = waiting(id, openid, now, due);
        text.ifPresent(t -> d.append("text", cipher.encrypt(t)));
        notice.ifPresent(n -> d.append("notice", new Document("kind", n.kind()).append("values", sealed(n.values()))));
        return d;
    }

    /** Tappable options waiting to be sent from {@code due}. */
    Document menu(ObjectId id, String openid, OutboxItem.Menu menu, Instant now, Instant due) {
        return waiting(id, openid, now, due).append("menu", new Document("head", menu.head()).append("tail", menu.tail()).append("options",
                menu.options().stream().map(o -> new Document("id", o.id()).append("label", o.label())).toList()));
    }

    private static Document waiting(ObjectId id, String openid, Instant now, Instant due) {
        return new Document("_id", id).append("openid", openid).append("status", OutboxItem.Status.PENDING.name()).append("attempts", 0)
                .append(VERSION, 0).append("nextAttemptAt", Date.from(due)).append("createdAt", Date.from(now));
    }

    /** Texts written before they were encrypted are read as they are. */
    private String readText(String stored) {
        try {
            return cipher.decrypt(stored);
        } catch (IllegalArgumentException clearText) {
            return stored;
        }
    }

    /** A notice's values (names, previews of what someone wrote) as one encrypted string. */
    private String sealed(Map<String, String> values) {
        return cipher.encrypt(new Document(values).toJson());
    }

    /** The item as stored, texts and notice values decrypted. */
    OutboxItem item(Document d) {
        Document notice = d.get("notice", Document.class);
        Optional<OutboxItem.Notice> n = Optional.ofNullable(notice).map(x -> {
            Map<String, String> values = new LinkedHashMap<>();
            Object stored = x.get("values");
            Document v = stored instanceof Document clear ? clear : Document.parse(cipher.decrypt((String) stored)); // clear: before encryption
            v.forEach((k, val) -> values.put(k, String.valueOf(val)));
            return new OutboxItem.Notice(x.getString("kind"), values);
        });
        return new OutboxItem(d.getObjectId("_id").toHexString(), d.getString("openid"),
                Optional.ofNullable(d.getString("text")).map(this::readText), n,
                OutboxItem.Status.valueOf(d.getString("status")), d.getInteger("attempts", 0),
                d.getDate("nextAttemptAt").toInstant(), Optional.ofNullable(d.getString("lastError")),
                d.getDate("createdAt").toInstant(), Optional.ofNullable(d.getDate("sentAt")).map(Date::toInstant),
                Optional.ofNullable(d.getString("sentAs")), Optional.ofNullable(d.getLong("templateMsgId")),
                Optional.ofNullable(d.getString("delivery")), Optional.ofNullable(d.get("menu", Document.class)).map(m -> new OutboxItem.Menu(
                        m.getString("head"), m.getList("options", Document.class).stream()
                        .map(o -> new OutboxItem.Option(o.getString("id"), o.getString("label"))).toList(), m.getString("tail"))));
    }
}
