package cn.shegong.core.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Coordination across replicas. With a URL it talks to that Redis; without one it starts an
 * {@link EmbeddedRedisServer} under the data folder. Calls that find Redis unavailable fall back
 * to what this instance keeps alone ({@link #orElse}) until a probe finds it serving again. Every
 * key goes through {@link #key(String...)} so that tests and several deployments can share one
 * server.
 */
public final class Redis implements AutoCloseable {

    /** Connections to Redis: the webhook's lanes (96 at most, see its Lanes) and a quarter for the rest: drainer, liveness, outbox, console. */
    public static final int POOL_SIZE = 128;
    private static final Logger LOG = Logger.getLogger(Redis.class.getName());

    private final UnifiedJedis client;
    private final String prefix;
    private final Optional<EmbeddedRedisServer> embedded;
    private volatile boolean closing;
    private final Object lifecycle = new Object();
    /** Set when Redis stopped answering; a probe clears it when Redis answers again. */
    private final AtomicBoolean down = new AtomicBoolean();
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "shegong-redis-probe");
        t.setDaemon(true);
        return t;
    });
    private final URI uri;

    private Redis(URI uri, String prefix, EmbeddedRedisServer embedded) {
        this.uri = uri;
        this.client = RedisClients.connect(uri);
        this.prefix = prefix;
        this.embedded = Optional.ofNullable(embedded);
    }

    /** Connects to {@code url} when present, else starts embedded Redis with its files under {@code dataDir}. */
    public static Redis open(Optional<URI> url, String prefix, Path dataDir) {
        if (url.isPresent()) {
            Redis redis = new Redis(url.get(), prefix, null);
            redis.requireReachable("REDIS_URL");
            return redis;
        }
        Path dir = dataDir.resolve("redis");
        try {
            EmbeddedRedisServer server = EmbeddedRedisServer.start(dir);
            Redis redis = new Redis(server.uri(), prefix, server);
            redis.requireReachable("embedded Redis");
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded Redis in " + dir, e);
        }
    }

    private void requireReachable(String where) {
        try {
            ping();
        } catch (JedisException e) {
            close();
            throw new StorageUnavailableException("Redis is not reachable at " + where + ": " + e.getClass().getSimpleName());
        }
    }

    public void ping() {
        client.ping();
    }

    /**
     * Whether Redis is known to be unreachable: callers use their local fallback at once instead
     * of waiting out a timeout on every call.
     */
    public boolean degraded() {
        return down.get();
    }

    /**
     * Whether this client is closing or the JVM is stopping — when the embedded redis-server may be
     * gone already (its library's shutdown hook stops it too), so a failed call is expected.
     */
    public boolean stopping() {
        return closing || shuttingDown();
    }

    /**
     * Runs {@code call} against Redis; when Redis cannot be reached, or is known to be down, runs
     * {@code fallback} instead (per-instance dedup, locks, state) and marks Redis degraded until a
     * probe, every second, finds it answering again. An embedded Redis that died is started again.
     */
    public <T> T orElse(Supplier<T> call, Supplier<T> fallback) {
        if (down.get()) {
            return fallback.get();
        }
        try {
            return call.get();
        } catch (JedisException e) {
            if (!unavailable(e)) {
                throw e;
            }
            markDown(e);
            return fallback.get();
        }
    }

    /**
     * Not reachable, or not serving yet: loading its append-only file after a restart
     * ({@code LOADING}), or stuck in a script ({@code BUSY}). A push meanwhile is handled as with
     * Redis down, not failed.
     */
    static boolean unavailable(JedisException e) {
        return e instanceof JedisConnectionException || e instanceof JedisBusyException
                || e.getMessage() != null && e.getMessage().startsWith("LOADING");
    }

    /** The same for calls without a result. */
    public void orElse(Runnable call, Runnable fallback) {
        orElse(() -> {
            call.run();
            return null;
        }, () -> {
            fallback.run();
            return null;
        });
    }

    private void markDown(RuntimeException cause) {
        if (down.compareAndSet(false, true)) {
            LOG.warning("Redis is unreachable (" + cause.getClass().getSimpleName() + ": " + cause.getMessage()
                    + "): degraded mode — retries, turns and conversations are kept by this instance alone until it answers");
            prober.schedule(this::probe, 1, TimeUnit.SECONDS);
        }
    }

    private void probe() {
        try {
            restartIfDead();
            client.ping();
            RedisClients.clearIdle(client);
            down.set(false);
            LOG.info("Redis answers again: degraded mode ended");
        } catch (RuntimeException e) {
            if (!prober.isShutdown()) {
                prober.schedule(this::probe, 1, TimeUnit.SECONDS);
            }
        }
    }

    /** The embedded redis-server's process id, for fault drills that pause or kill it. */
    public Optional<Long> embeddedPid() {
        return embedded.flatMap(EmbeddedRedisServer::pid);
    }

    /**
     * Starts the embedded redis-server again if it died (as a supervisor would; the webhook's probe
     * does it for its own) — never once closing or shutting down, when it is stopped on purpose
     * (the embedded-redis library's own shutdown hook stops it too): a server started then is not
     * tracked by the library and outlived the service, one per benchmark run.
     */
    public void restartIfDead() {
        synchronized (lifecycle) { // a probe's restart and close() never interleave
            if (closing || shuttingDown()) {
                return;
            }
            embedded.filter(server -> !server.alive()).ifPresent(EmbeddedRedisServer::restart);
        }
    }

    /** Whether the JVM is running its shutdown hooks (adding one is then refused). */
    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    /** The full key for the given parts: {@code prefix + parts joined by ':'}. */
    public String key(String... parts) {
        return prefix + String.join(":", List.of(parts));
    }

    /** Where this Redis answers (the embedded one: its loopback port), for other processes to share it. */
    public URI uri() {
        return uri;
    }

    public boolean isEmbedded() {
        return embedded.isPresent();
    }

    public UnifiedJedis client() {
        return client;
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            closing = true;
        }
        prober.shutdownNow();
        client.close();
        embedded.ifPresent(EmbeddedRedisServer::stop);
    }
}
