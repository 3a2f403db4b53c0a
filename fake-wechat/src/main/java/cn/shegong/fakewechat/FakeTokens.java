package cn.shegong.fakewechat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Access tokens as WeChat issues them (shared/wechat.md §4.1–4.2): {@code /cgi-bin/token} rotates
 * on every call and the previous token keeps working for 5 minutes; {@code stable_token} returns the
 * same token until it expires or a refresh is forced. Tokens live 7200 s. Every API call's token is
 * checked: 41001 missing, 42001 expired, 40001 not (or no longer) valid.
 */
final class FakeTokens {

    static final Duration LIFETIME = Duration.ofSeconds(7200);
    static final Duration OVERLAP = Duration.ofMinutes(5);
    static final int DAILY_QUOTA = 2000;

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private Issued current;
    private Issued previous;
    private Instant rotatedAt = Instant.EPOCH;
    private Issued stable;
    private int issuedToday;

    private record Issued(String token, Instant at) {
    }

    FakeTokens(Clock clock) {
        this.clock = clock;
    }

    /** {@code /cgi-bin/token}: a new token; the old one keeps working for 5 minutes. Null when over quota. */
    synchronized String rotate() {
        if (issuedToday >= DAILY_QUOTA) {
            return null;
        }
        issuedToday++;
        previous = current;
        rotatedAt = clock.instant();
        current = new Issued(newToken(), rotatedAt);
        return current.token();
    }

    /** {@code /cgi-bin/stable_token}: the same token while it is valid, unless forced. */
    synchronized String stable(boolean force) {
        Instant now = clock.instant();
        if (force || stable == null || !now.isBefore(stable.at().plus(LIFETIME))) {
            stable = new Issued(newToken(), now);
        }
        return stable.token();
    }

    synchronized long expiresIn(String token) {
        Issued issued = token.equals(stable == null ? null : stable.token()) ? stable : current;
        return Math.max(0, Duration.between(clock.instant(), issued.at().plus(LIFETIME)).toSeconds());
    }

    /** 0 when the token may call the API, else the errcode WeChat answers. */
    synchronized int check(String token) {
        if (token == null || token.isEmpty()) {
            return 41001;
        }
        Instant now = clock.instant();
        for (Issued issued : new Issued[] {current, stable}) {
            if (issued != null && issued.token().equals(token)) {
                return now.isBefore(issued.at().plus(LIFETIME)) ? 0 : 42001;
            }
        }
        if (previous != null && previous.token().equals(token) && now.isBefore(rotatedAt.plus(OVERLAP))) {
            return 0;
        }
        return 40001;
    }

    /** Makes every issued token invalid, as when someone else refreshed the token elsewhere. */
    synchronized void invalidateAll() {
        previous = null;
        current = current == null ? null : new Issued(newToken(), current.at());
        stable = null;
    }

    private String newToken() {
        byte[] bytes = new byte[48];
        random.nextBytes(bytes);
        return "FAKE_" + HexFormat.of().formatHex(bytes);
    }
}
