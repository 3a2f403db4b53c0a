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
 * request (checked against the service clock, and expired by Redis as well) or at logout.
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

    Session open(Account account) {
        Session s = new Session();
        s.id = token();
        s.accountId = account.id();
        s.username = account.username();
        s.role = account.role();
        s.areaCode = account.areaCode();
        s.csrf = token();
        s.mustChangePassword = account.mustChangePassword();
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void close(String id) {
        redis.client().del(key(id));
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
