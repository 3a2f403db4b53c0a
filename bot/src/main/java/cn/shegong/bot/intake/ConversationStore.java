package cn.shegong.bot.intake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;

import cn.shegong.core.storage.FieldCipher;
import cn.shegong.core.storage.Redis;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import redis.clients.jedis.params.SetParams;

/**
 * Conversation state per openid in Redis, shared by all replicas: the one owner of those keys.
 * It expires a day after the last message: an intake abandoned longer than that starts afresh
 * (cases already opened are kept). The state holds what a person told us before the case opened
 * (name, phone, description), so it is encrypted like the case itself.
 */
public final class ConversationStore {

    static final Duration TTL = Duration.ofHours(24);
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Redis redis;
    private final FieldCipher cipher;

    public ConversationStore(Redis redis, FieldCipher cipher) {
        this.redis = redis;
        this.cipher = cipher;
    }

    Optional<IntakeState> get(String openid) {
        String sealed = redis.client().get(key(openid));
        try {
            return sealed == null ? Optional.empty() : Optional.of(JSON.readValue(cipher.decrypt(sealed), IntakeState.class));
        } catch (IOException | IllegalArgumentException e) {
            clear(openid); // written by an older version: start afresh rather than fail the person
            return Optional.empty();
        }
    }

    void put(String openid, IntakeState state) {
        try {
            redis.client().set(key(openid), cipher.encrypt(JSON.writeValueAsString(state)), SetParams.setParams().ex(TTL.toSeconds()));
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
