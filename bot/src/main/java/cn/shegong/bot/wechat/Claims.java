package cn.shegong.bot.wechat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.logging.Logger;

import cn.shegong.core.storage.FieldCipher;
import cn.shegong.core.storage.Redis;

/**
 * Recognises WeChat's retries and takes a person's turn across replicas. {@link #claim} sets the
 * push's retry key (SET NX) and checks the nonce and the person's rate in one script; when the
 * person's turn is free it takes it in the same step, with their conversation state, and the
 * handler keeps it only if it also gets the in-process lock at once ({@link Turns}); otherwise the
 * handler takes the turn ({@link #takeTurn}) after the in-process lock — always in that order, so
 * two messages of one person cannot each hold one and wait for the other; {@link #finish} stores
 * the answer for retries and frees the turn in one script. A retry that arrives while the first is
 * still being handled is told so ({@link Inbox} waits for that answer); one whose push waits in
 * the backlog ({@link #KEPT}) gets {@code success}: the answer follows as a customer-service
 * message. Stored answers are encrypted: a reply can repeat what the person wrote. While Redis is
 * unreachable the same is done by this instance alone ({@link LocalClaims}; claims marked
 * {@code local|}), and a person's turn is only the in-process lock.
 */
final class Claims {

    /** WeChat retries at about 5, 10 and 15 s; keep keys well past that. */
    static final long RETRY_TTL_SECONDS = 300;
    /** Bounds how long a crashed holder can block the person's next message. */
    static final Duration TURN_LEASE = Duration.ofSeconds(30);
    /** A claim being handled: {@code pending:<instance>}, the instance alive while its {@link Liveness} key is. */
    private static final String PENDING = "pending:";
    /** A claim whose push waits in the {@link Backlog}: kept, so a retry is answered {@code success} at once. */
    static final String KEPT = "kept";
    /** The token of a claim made while Redis was unreachable, kept by {@link LocalClaims}. */
    private static final String LOCAL = "local|";
    private static final Logger LOG = Logger.getLogger(Claims.class.getName());
    /** A signature (timestamp and nonce) is remembered this long: past it, the timestamp is refused anyway. */
    static final long NONCE_TTL_SECONDS = 2 * WebhookService.TIMESTAMP_WINDOW_SECONDS;
    /** More messages than this from one person in a minute are not a person typing. */
    static final int PER_MINUTE = 30;
    /** The claim, the person's turn when free and their conversation state, in one step: see {@code claim.lua}. */
    private static final String CLAIM = script("claim.lua");
    private static final String FINISH = """
            if ARGV[1] == '-' then redis.call('del', KEYS[1])
            else redis.call('set', KEYS[1], ARGV[1], 'XX', 'EX', ARGV[2]) end
            if redis.call('get', KEYS[2]) == ARGV[3] then redis.call('del', KEYS[2]) end
            return 1""";

    private static final String TAKE_TURN = """
            if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
            local owner = string.match(redis.call('get', KEYS[1]) or '', '^([^|]+)|')
            if owner and owner ~= ARGV[3] and redis.call('exists', ARGV[4] .. owner) == 0 then
              redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
              return 1
            end
            return 0""";
    private static final String FREE_TURN =
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

    /**
     * A claim to handle a push: the turn lock's key and token; {@code takenOver} when an earlier
     * delivery's instance died before answering (it may have stored the push without handling it).
     */
    record Claim(String retryKey, String turnKey, String token, boolean takenOver, List<String> states) {

        /** The person's turn was free and came with the claim, their conversation {@link #states} with it. */
        boolean withTurn() {
            return !states.isEmpty();
        }
    }

    private final Redis redis;
    private final FieldCipher cipher;
    private final Function<String, List<String>> stateKeys;
    private final LocalClaims local = new LocalClaims();
    private final Liveness liveness;

    /** {@code stateKeys}: a person's conversation-state keys, read with their turn when it comes with the claim. */
    Claims(Redis redis, FieldCipher cipher, Liveness liveness, Function<String, List<String>> stateKeys) {
        this.redis = redis;
        this.cipher = cipher;
        this.liveness = liveness;
        this.stateKeys = stateKeys;
    }

    /**
     * A claim for a first delivery; or the earlier answer ({@code success} while it is pending) for
     * a retry. Refuses a signature seen before with another message (a replay:
     * {@link WebhookRejectedException} 403) and a person's 31st message in a minute
     * ({@link TooFast}). {@code signed} is the push's timestamp and nonce; {@code takeTurn}: the
     * push is to be handled now, so the person's turn comes with the claim when it is free.
     */
    Result claim(String dedupKey, String openid, String signed, boolean takeTurn) {
        String retryKey = retryKey(dedupKey);
        String turnKey = turnKey(openid);
        String nonceKey = redis.key("wx", "nonce", signed);
        String rateKey = redis.key("wx", "rate", openid);
        String redisToken = token();
        List<String> keys = new ArrayList<>(List.of(retryKey, turnKey, nonceKey, rateKey, redis.key("wx", "held", openid)));
        if (takeTurn) {
            keys.addAll(stateKeys.apply(openid));
        }
        Raw r = redis.orElse(() -> Raw.of((List<?>) redis.client().eval(CLAIM, keys,
                List.of(Long.toString(RETRY_TTL_SECONDS), redisToken, Long.toString(TURN_LEASE.toMillis()), dedupKey,
                        Long.toString(NONCE_TTL_SECONDS), Integer.toString(PER_MINUTE), liveness.prefix(), liveness.id(), takeTurn ? "1" : "0"))), () -> {
            LocalClaims.Outcome o = local.claim(retryKey, nonceKey, rateKey, dedupKey, System.currentTimeMillis());
            return new Raw(o.code(), o.earlier().map(e -> e.equals(LocalClaims.PENDING) ? PENDING : e).orElse(""), true, List.of());
        });
        if (r.outcome() == 3) {
            throw new WebhookRejectedException(403, "replayed", "this signature was used for another message");
        }
        if (r.outcome() == 4) {
            throw new TooFast();
        }
        if (r.outcome() == 0) {
            boolean pending = r.earlier().startsWith(PENDING);
            boolean elsewhere = pending && !r.local() && !r.earlier().equals(PENDING + liveness.id());
            String earlier = pending || r.earlier().equals(KEPT) ? PassiveReply.SUCCESS : cipher.decrypt(r.earlier());
            return new Result(Optional.empty(), Optional.of(earlier), pending, elsewhere, false);
        }
        boolean behindKept = !r.local() && !r.earlier().isEmpty(); // the person's earlier pushes wait in the backlog
        String token = r.local() ? LOCAL + redisToken : redisToken;
        return new Result(Optional.of(new Claim(retryKey, turnKey, token, r.outcome() == 5, r.states())), Optional.empty(), false, false,
                behindKept);
    }

    /** What the claim script (or {@link LocalClaims}) said: outcome, earlier answer or waiting count, states read with the turn. */
    private record Raw(long outcome, String earlier, boolean local, List<String> states) {

        static Raw of(List<?> r) {
            List<String> states = r.subList(2, r.size()).stream().map(Object::toString).toList();
            return new Raw((Long) r.get(0), r.get(1).toString(), false, states);
        }
    }

    /**
     * Takes the person's turn: one try; the caller waits between tries. A turn held by an instance
     * that is no longer alive (it crashed mid-message) is taken over at once instead of waiting out
     * its lease.
     */
    boolean takeTurn(Claim claim) {
        if (claim.token().startsWith(LOCAL)) {
            return true; // Redis was down when it came: the in-process lock is the turn
        }
        return redis.orElse(() -> Long.valueOf(1).equals(redis.client().eval(TAKE_TURN, List.of(claim.turnKey()),
                List.of(claim.token(), Long.toString(TURN_LEASE.toMillis()), liveness.id(), liveness.prefix()))), () -> true);
    }

    /** Keeps the answer for retries and frees the person's turn. */
    void finish(Claim claim, String answer) {
        run(FINISH, claim, cipher.encrypt(answer));
    }

    /** Frees the person's turn but keeps the retry key pending (the push waits in the backlog). */
    void freeTurn(Claim claim) {
        if (!claim.token().startsWith(LOCAL)) {
            redis.orElse(() -> redis.client().eval(FREE_TURN, List.of(claim.turnKey()), List.of(claim.token())), () -> 0L);
        }
    }

    /**
     * A claim for a push kept earlier under {@code retryKey}: its turn is still to be taken.
     * {@code takeOver}: it may have been stored by a handler that crashed before answering (the
     * backlog puts such items back), so a stored one without its reply is handled again.
     */
    Claim forRetryKey(String retryKey, String openid, boolean takeOver) {
        return new Claim(retryKey, turnKey(openid), token(), takeOver, List.of());
    }

    /** The push was handled and its reply stored: a failure to keep the answer must not change it. */
    void finishOrLog(Claim claim, String answer) {
        try {
            finish(claim, answer);
        } catch (RuntimeException e) {
            LOG.warning("the answer could not be kept for retries (" + e.getClass().getSimpleName() + "); its claim expires in 5 minutes");
        }
    }

    /** Releases the claim if Redis lets us; else it expires on its own. */
    void releaseOrLog(Claim claim) {
        try {
            release(claim);
        } catch (RuntimeException e) {
            LOG.warning("a retry claim could not be released (" + e.getClass().getSimpleName() + "); it expires in 5 minutes");
        }
    }

    /** Forgets a claim whose handling failed, so a retry is handled afresh, and frees the turn. */
    void release(Claim claim) {
        run(FINISH, claim, "-");
    }

    private void run(String script, Claim claim, String value) {
        if (claim.token().startsWith(LOCAL)) {
            local.finish(claim.retryKey(), value.equals("-") ? null : value, System.currentTimeMillis());
            return;
        }
        redis.orElse(() -> redis.client().eval(script, List.of(claim.retryKey(), claim.turnKey()),
                List.of(value, Long.toString(RETRY_TTL_SECONDS), claim.token())), () -> {
            LOG.fine("Redis unreachable: a claim made before it went away expires on its own");
            return null;
        });
    }

    /** A turn token names its instance, so a turn left by a crashed instance can be recognised. */
    private String token() {
        return liveness.id() + "|" + UUID.randomUUID();
    }

    private static String script(String name) {
        try (InputStream in = Claims.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where a push's claim (pending, kept, or its answer for retries) is kept. */
    String retryKey(String dedupKey) {
        return redis.key("wx", "dedup", dedupKey);
    }

    private String turnKey(String openid) {
        return redis.key("wx", "user", openid);
    }

    /**
     * A claim, or the earlier answer; {@code pending} when that delivery is still being handled
     * (answer: success), {@code elsewhere} when by another instance, which may have died with it;
     * {@code behindKept} when earlier pushes of the same person wait in the backlog, so this one
     * must wait behind them.
     */
    record Result(Optional<Claim> first, Optional<String> earlier, boolean pending, boolean elsewhere, boolean behindKept) {
    }

    /** The sender is over {@link #PER_MINUTE}: this push is not kept. */
    static final class TooFast extends RuntimeException {
        TooFast() {
            super("over " + PER_MINUTE + " messages a minute", null, false, false);
        }
    }
}
