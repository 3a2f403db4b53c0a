package cn.shegong.bot.wechat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import cn.shegong.core.storage.FieldCipher;
import cn.shegong.core.storage.Redis;
import redis.clients.jedis.params.SetParams;

/**
 * Recognises WeChat's retries and takes a person's turn across replicas, in one Redis round trip
 * each way. {@link #claim} sets the push's retry key (SET NX) and, for a first delivery, tries the
 * sender's turn lock in the same script; {@link #finish} stores the answer for retries and frees
 * the turn in one script. A retry that arrives while the first is still being handled gets
 * {@code success}: the first delivery's reply, or a later customer-service message, reaches the
 * user. Stored answers are encrypted: a reply can repeat what the person wrote.
 */
final class Claims {

    /** WeChat retries at about 5, 10 and 15 s; keep keys well past that. */
    private static final long RETRY_TTL_SECONDS = 300;
    /** Bounds how long a crashed holder can block the person's next message. */
    static final Duration TURN_LEASE = Duration.ofSeconds(30);
    private static final String PENDING = "";

    /** A signature (timestamp and nonce) is remembered this long: past it, the timestamp is refused anyway. */
    static final long NONCE_TTL_SECONDS = 2 * WebhookService.TIMESTAMP_WINDOW_SECONDS;
    /** More messages than this from one person in a minute are not a person typing. */
    static final int PER_MINUTE = 30;
    private static final String CLAIM = """
            local seen = redis.call('get', KEYS[3])
            if seen and seen ~= ARGV[4] then return {3, ''} end
            if not seen then redis.call('set', KEYS[3], ARGV[4], 'EX', ARGV[5]) end
            if redis.call('set', KEYS[1], '', 'NX', 'EX', ARGV[1]) then
              local n = redis.call('incr', KEYS[4])
              if n == 1 then redis.call('expire', KEYS[4], 60) end
              if n > tonumber(ARGV[6]) then redis.call('del', KEYS[1]) return {4, ''} end
              if redis.call('set', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[3]) then return {1, ''} end
              return {2, ''}
            end
            return {0, redis.call('get', KEYS[1]) or ''}""";
    private static final String FINISH = """
            if ARGV[1] == '-' then redis.call('del', KEYS[1])
            else redis.call('set', KEYS[1], ARGV[1], 'XX', 'EX', ARGV[2]) end
            if redis.call('get', KEYS[2]) == ARGV[3] then redis.call('del', KEYS[2]) end
            return 1""";

    private static final String FREE_TURN =
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

    /** A first delivery's claim: the turn lock's key and token, and whether the lock was taken with it. */
    record Claim(String retryKey, String turnKey, String token, boolean turnTaken) {
    }

    private final Redis redis;
    private final FieldCipher cipher;

    Claims(Redis redis, FieldCipher cipher) {
        this.redis = redis;
        this.cipher = cipher;
    }

    /**
     * A claim for a first delivery; or the earlier answer ({@code success} while it is pending) for
     * a retry. Refuses a signature seen before with another message (a replay:
     * {@link WebhookRejectedException} 403) and a person's 31st message in a minute
     * ({@link TooFast}). {@code signed} is the push's timestamp and nonce.
     */
    Result claim(String dedupKey, String openid, String signed) {
        String retryKey = redis.key("wx", "dedup", dedupKey);
        String turnKey = turnKey(openid);
        String token = UUID.randomUUID().toString();
        @SuppressWarnings("unchecked")
        List<Object> r = (List<Object>) redis.client().eval(CLAIM,
                List.of(retryKey, turnKey, redis.key("wx", "nonce", signed), redis.key("wx", "rate", openid)),
                List.of(Long.toString(RETRY_TTL_SECONDS), token, Long.toString(TURN_LEASE.toMillis()), dedupKey,
                        Long.toString(NONCE_TTL_SECONDS), Integer.toString(PER_MINUTE)));
        long outcome = (Long) r.get(0);
        if (outcome == 3) {
            throw new WebhookRejectedException(403, "replayed", "this signature was used for another message");
        }
        if (outcome == 4) {
            throw new TooFast();
        }
        if (outcome == 0) {
            String earlier = r.get(1).toString();
            return new Result(Optional.empty(), Optional.of(earlier.equals(PENDING) ? PassiveReply.SUCCESS : cipher.decrypt(earlier)));
        }
        return new Result(Optional.of(new Claim(retryKey, turnKey, token, outcome == 1)), Optional.empty());
    }

    /** Takes the person's turn if the claim did not: one try; the caller waits between tries. */
    boolean takeTurn(Claim claim) {
        return "OK".equals(redis.client().set(claim.turnKey(), claim.token(),
                SetParams.setParams().nx().px(TURN_LEASE.toMillis())));
    }

    /** Keeps the answer for retries and frees the person's turn. */
    void finish(Claim claim, String answer) {
        run(FINISH, claim, cipher.encrypt(answer));
    }

    /** Frees the person's turn but keeps the retry key pending (the push waits in the backlog). */
    void freeTurn(Claim claim) {
        redis.client().eval(FREE_TURN, List.of(claim.turnKey()), List.of(claim.token()));
    }

    /** A claim for a push kept earlier under {@code retryKey}: its turn is still to be taken. */
    Claim forRetryKey(String retryKey, String openid) {
        return new Claim(retryKey, turnKey(openid), UUID.randomUUID().toString(), false);
    }

    /** Forgets a claim whose handling failed, so a retry is handled afresh, and frees the turn. */
    void release(Claim claim) {
        run(FINISH, claim, "-");
    }

    private void run(String script, Claim claim, String value) {
        redis.client().eval(script, List.of(claim.retryKey(), claim.turnKey()),
                List.of(value, Long.toString(RETRY_TTL_SECONDS), claim.token()));
    }

    private String turnKey(String openid) {
        return redis.key("wx", "user", openid);
    }

    record Result(Optional<Claim> first, Optional<String> earlier) {
    }

    /** The sender is over {@link #PER_MINUTE}: this push is not kept. */
    static final class TooFast extends RuntimeException {
        TooFast() {
            super("over " + PER_MINUTE + " messages a minute", null, false, false);
        }
    }
}
