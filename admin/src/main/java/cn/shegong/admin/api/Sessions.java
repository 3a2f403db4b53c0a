package cn.shegong.admin.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import cn.shegong.admin.account.Account;
import cn.shegong.core.storage.Redis;
import com.fasterxml.jackson.databind.ObjectMapper;
import redis.clients.jedis.params.SetParams;

/**
 * Console sessions in Redis, shared by all replicas. A session ends after 30 minutes without a
 * request (checked against the service clock, and expired by Redis as well), at logout, or when
 * the account's password changes in another session.
 */
final class Sessions {

    static final Duration IDLE = Duration.ofMinutes(30);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Redis redis;
    private final Clock clock;

    Sessions(Redis redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    Session open(Account account, boolean passwordExpired) {
        Session s = new Session();
        s.id = token();
        s.accountId = account.id();
        s.username = account.username();
        s.role = account.role();
        s.areaCode = account.areaCode();
        s.csrf = token();
        s.mustChangePassword = account.mustChangePassword() || passwordExpired;
        s.changeReason = passwordExpired && !account.mustChangePassword() ? "expired" : "";
        redis.client().sadd(accountKey(s.accountId), s.id);
        save(s);
        return s;
    }

    /** The session with this id if it has not been idle too long; each use moves its idle clock on. */
    Optional<Session> use(String id) {
        String json = redis.client().get(key(id));
        if (json == null) {
            return Optional.empty();
        }
        Session s;
        try {
            s = JSON.readValue(json, Session.class);
        } catch (IOException e) {
            close(id);
            return Optional.empty();
        }
        if (clock.millis() - s.lastSeenMillis > IDLE.toMillis()) {
            close(id);
            return Optional.empty();
        }
        save(s);
        return Optional.of(s);
    }

    void save(Session s) {
        s.lastSeenMillis = clock.millis();
        try {
            redis.client().set(key(s.id), JSON.writeValueAsString(s), SetParams.setParams().ex(IDLE.toSeconds()));
            redis.client().expire(accountKey(s.accountId), IDLE.toSeconds() * 2); // lives as long as its newest session
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void close(String id) {
        redis.client().del(key(id));
    }

    /** Ends every other session of this account (after a password change: a stolen session dies with the old password). */
    void closeOthers(Session keep) {
        for (String id : redis.client().smembers(accountKey(keep.accountId))) {
            if (!id.equals(keep.id)) {
                close(id);
                redis.client().srem(accountKey(keep.accountId), id);
            }
        }
    }

    private String accountKey(String accountId) {
        return redis.key("console", "account-sessions", accountId);
    }

    private String key(String id) {
        return redis.key("console", "session", id);
    }

    private static String token() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
