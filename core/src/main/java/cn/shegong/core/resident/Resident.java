package cn.shegong.core.resident;

import java.time.Instant;
import java.util.Optional;

/**
 * A WeChat user of the account as we know them.
 *
 * @param lastContactAt the user's last interaction (message, follow, scan, menu), which opens WeChat's
 *                      48-hour customer-service window
 * @param scene         the QR-code scene they followed through, e.g. {@code station:530502001}
 */
public record Resident(String openid, Instant firstContactAt, Instant lastContactAt, Status status,
                       Optional<String> scene) {

    /** WeChat lets us send chat (customer-service) messages for 48 hours after the person last wrote. */
    public static final java.time.Duration WINDOW = java.time.Duration.ofHours(48);

    /** Whether a chat message can reach this person at {@code now}. */
    public boolean windowOpen(Instant now) {
        return now.isBefore(lastContactAt.plus(WINDOW));
    }

    public enum Status {
        /** Follows the account. */
        ACTIVE,
        /** Unfollowed: WeChat refuses every send (43004) until they follow again. */
        UNSUBSCRIBED
    }
}
