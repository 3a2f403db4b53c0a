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

    public enum Status {
        /** Follows the account. */
        ACTIVE,
        /** Unfollowed: WeChat refuses every send (43004) until they follow again. */
        UNSUBSCRIBED
    }
}
