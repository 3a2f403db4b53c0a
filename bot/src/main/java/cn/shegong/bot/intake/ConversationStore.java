package cn.shegong.bot.intake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import cn.shegong.core.storage.FieldCipher;
import cn.shegong.core.storage.Redis;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import redis.clients.jedis.params.SetParams;

/**
 * Conversation state per openid in Redis, shared by all replicas: the one owner of those keys.
 * A person may have two: where their request for help stands ({@link Space#INTAKE}) and, for a
 * worker, a visit note being written ({@link Space#WORKER}). State expires a day after it was
 * last written: an abandoned conversation starts afresh (cases already opened are kept). It holds
 * what people told us (names, phones, descriptions, notes), so it is encrypted like the case.
 * While Redis is unreachable, state is kept (sealed) by this instance, and written back to Redis
 * the first time it is read after Redis answers again.
 */
public final class ConversationStore {

    public enum Space {
        INTAKE("conversation"), WORKER("worker-session");

        private final String key;

        Space(String key) {
            this.key = key;
        }
    }

    static final Duration TTL = Duration.ofHours(24);
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Redis redis;
    private final FieldCipher cipher;
    /** State written while Redis was unreachable, by key: bounded, the oldest go first. */
    private final Map<String, String> local = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > LOCAL_MAX;
        }
    });
    private static final int LOCAL_MAX = 20_000;
    /**
     * State read with the person's turn ({@link #prime}), by key, "" for none: the first read of
     * each in that turn uses it instead of asking Redis again. Only pushes in hand have entries.
     */
    private final Map<String, String> primed = new ConcurrentHashMap<>();

    public ConversationStore(Redis redis, FieldCipher cipher) {
        this.redis = redis;
        this.cipher = cipher;
    }

    public <T> Optional<T> get(Space space, String openid, Class<T> type) {
        String key = key(space, openid);
        String early = primed.remove(key);
        String sealed = early != null && !local.containsKey(key) ? (early.isEmpty() ? null : early) : redis.orElse(() -> {
            String kept = local.remove(key);
            if (kept != null) { // written while Redis was down: it is the newest
                redis.client().set(key, kept, SetParams.setParams().ex(TTL.toSeconds()));
                return kept;
            }
            return redis.client().get(key);
        }, () -> local.get(key));
        try {
            return sealed == null ? Optional.empty() : Optional.of(JSON.readValue(cipher.decrypt(sealed), type));
        } catch (IOException | IllegalArgumentException e) {
            clear(space, openid); // written by an older version: start afresh rather than fail the person
            return Optional.empty();
        }
    }

    public void put(Space space, String openid, Object state) {
        try {
            String key = key(space, openid);
            String sealed = cipher.encrypt(JSON.writeValueAsString(state));
            primed.remove(key);
            redis.orElse(() -> redis.client().set(key, sealed, SetParams.setParams().ex(TTL.toSeconds())), () -> local.put(key, sealed));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void clear(Space space, String openid) {
        String key = key(space, openid);
        primed.remove(key);
        local.remove(key);
        redis.orElse(() -> redis.client().del(key), () -> 0L);
    }

    Optional<IntakeState> get(String openid) {
        return get(Space.INTAKE, openid, IntakeState.class);
    }

    void put(String openid, IntakeState state) {
        put(Space.INTAKE, openid, state);
    }

    void clear(String openid) {
        clear(Space.INTAKE, openid);
    }

    /** The person's state keys, one per {@link Space} in its order, for reading them with their turn ({@link #prime}). */
    public List<String> keys(String openid) {
        return Arrays.stream(Space.values()).map(space -> key(space, openid)).toList();
    }

    /**
     * Hands over the person's state read with their turn ({@code sealed}: one per key of
     * {@link #keys}, "" for none; empty when it was not read), used by the turn's first read of
     * each; close when the turn ends. Only the holder of the person's turn writes their state, so
     * it does not change in between — except by a step someone else takes for them (a closed case
     * asks them to rate it): such a write here drops what was read; one on another replica races
     * with their push as it would without this.
     */
    public Primed prime(String openid, List<String> sealed) {
        if (sealed.isEmpty()) {
            return () -> { };
        }
        List<String> keys = keys(openid);
        for (int i = 0; i < keys.size(); i++) {
            primed.put(keys.get(i), sealed.get(i));
        }
        return () -> keys.forEach(primed::remove);
    }

    /** Ends a {@link #prime}: what was not read is dropped. */
    public interface Primed extends AutoCloseable {
        @Override
        void close();
    }

    /** True when the person is in the middle of something with the intake (a worker's plain text then goes there). */
    public boolean inIntake(String openid) {
        return get(openid).map(IntakeState::inIntake).orElse(false);
    }

    private String key(Space space, String openid) {
        return redis.key(space.key, openid);
    }
}
