package cn.shegong.core.outbox;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One message we send that is not a passive reply. It is stored before it is sent; its status,
 * attempts and last error say what happened.
 *
 * @param text   a customer-service text, sent only inside WeChat's 48-hour window
 * @param notice the template message to send instead (or only), by notification kind and values
 * @param menu   tappable options (a customer-service msgmenu), sent only inside the window; the
 *               typed answers they stand for keep working without them
 */
public record OutboxItem(
        String id,
        String openid,
        Optional<String> text,
        Optional<Notice> notice,
        Status status,
        int attempts,
        Instant nextAttemptAt,
        Optional<String> lastError,
        Instant createdAt,
        Optional<Instant> sentAt,
        Optional<String> sentAs,
        Optional<Long> templateMsgId,
        Optional<String> delivery,
        Optional<Menu> menu) {

    /** WeChat's menu message: a line above, options (a tap comes back as text carrying the option's id), a line below. */
    public record Menu(String head, List<Option> options, String tail) {
    }

    /** {@code id} is the answer the option stands for (what one would type); {@code label} what it shows. */
    public record Option(String id, String label) {
    }

    /** A template message: the notification kind (a binding in templates/wechat/templates.yaml) and its values. */
    public record Notice(String kind, Map<String, String> values) {
    }

    public enum Status {
        /** Waiting for its next attempt. */
        PENDING,
        /** Claimed by one instance, which is sending it now. */
        SENDING,
        SENT,
        /** Outside the 48-hour window and no template to fall back on: a person must follow up. */
        UNDELIVERABLE,
        /** The user unfollowed, blocked us or the openid is wrong: never retried. */
        UNREACHABLE,
        /** Refused for a reason retrying cannot fix, or retried until we gave up. */
        FAILED
    }
}
