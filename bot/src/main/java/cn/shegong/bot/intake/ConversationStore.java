package cn.shegong.bot.intake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;

import cn.shegong.core.storage.Redis;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import redis.clients.jedis.params.SetParams;

/**
 * Conversation state per openid in Redis, shared by all replicas. It expires a day after the last
 * message: an intake abandoned longer than that starts afresh (cases already opened are kept).
 */
final class ConversationStore {

    static final Duration TTL = Duration.ofHours(24);
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Redis redis;

    ConversationStore(Redis redis) {
        this.redis = redis;
    }

    Optional<IntakeState> get(String openid) {
        String json = redis.client().get(key(openid));
        try {
            return json == null ? Optional.empty() : Optional.of(JSON.readValue(json, IntakeState.class));
        } catch (IOException e) {
            clear(openid); // written by an older version: start afresh rather than fail the person
            return Optional.empty();
        }
    }

    void put(String openid, IntakeState state) {
        try {
            redis.client().set(key(openid), JSON.writeValueAsString(state), SetParams.setParams().ex(TTL.toSeconds()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void clear(String openid) {
        redis.client().del(key(openid));
    }

    private String key(String openid) {
        return redis.key("conversation", openid);
    }
}
