package cn.shegong.admin.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

import cn.shegong.core.storage.Redis;
import redis.clients.jedis.params.SetParams;

/**
 * Password guessing, counted in Redis (shared by replicas). Five wrong passwords for a username from
 * one address lock that username from that address for 15 minutes; twenty wrong passwords from an
 * address lock the address for all usernames. Unknown usernames are counted exactly like real ones,
 * so the answers never tell them apart; and since a lock is per address, nobody can lock
 * {@code admin} out for everyone else. The same counters guard the current-password check of a
 * password change.
 */
final class LoginGuard {

    static final int PER_USER = 5;
    static final int PER_ADDRESS = 20;
    static final Duration LOCK = Duration.ofMinutes(15);

    private final Redis redis;
    private final Clock clock;

    LoginGuard(Redis redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    boolean locked(String username, String address) {
        return lockedNow(user(username, address)) || lockedNow(addr(address));
    }

    /** A lock holds its end time, read against the service clock; Redis's own expiry only cleans up. */
    private boolean lockedNow(String subject) {
        String until = redis.client().get(lockKey(subject));
        return until != null && Long.parseLong(until) > clock.millis();
    }

    /** Counts a wrong password; true if that locked the username or the address. */
    boolean failed(String username, String address) {
        return count(user(username, address), PER_USER) | count(addr(address), PER_ADDRESS);
    }

    /** True for the first attempt refused while locked, per username and address, in a lock's time: audit that one. */
    boolean firstRefusal(String username, String address) {
        return "OK".equals(redis.client().set(redis.key("console", "refused", user(username, address)), "1",
                SetParams.setParams().nx().ex(LOCK.toSeconds())));
    }

    void succeeded(String username, String address) {
        redis.client().del(failKey(user(username, address)));
    }

    private boolean count(String subject, int limit) {
        redis.client().set(failKey(subject), "0", SetParams.setParams().nx().ex(LOCK.toSeconds())); // the window, and its expiry, first
        long n = redis.client().incr(failKey(subject));
        if (n < limit) {
            return false;
        }
        redis.client().set(lockKey(subject), Long.toString(clock.millis() + LOCK.toMillis()), SetParams.setParams().ex(LOCK.toSeconds()));
        redis.client().del(failKey(subject));
        return true;
    }

    private static String user(String username, String address) {
        return "u:" + digest(username.strip().toLowerCase(Locale.ROOT) + "\n" + address);
    }

    private static String addr(String address) {
        return "a:" + digest(address);
    }

    private String failKey(String subject) {
        return redis.key("console", "guess", subject);
    }

    private String lockKey(String subject) {
        return redis.key("console", "lock", subject);
    }

    private static String digest(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
