package cn.shegong.core.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
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
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

/**
 * Coordination across replicas. With a URL it talks to that Redis; without one it starts the
 * redis-server binary shipped in embedded-redis, on a free loopback port, working in a folder
 * under the data folder. Every key goes through {@link #key(String...)} so that tests and
 * several deployments can share one server.
 */
public final class Redis implements AutoCloseable {

    /** Connections to Redis; above what the webhook admits at once (see Inbox) plus console and outbox. */
    public static final int POOL_SIZE = 96;
    private static final Logger LOG = Logger.getLogger(Redis.class.getName());

    private final UnifiedJedis client;
    private final String prefix;
    private final Optional<RedisServer> embedded;
    private volatile boolean closing;
    private final Object lifecycle = new Object();
    /** Set when Redis stopped answering; a probe clears it when Redis answers again. */
    private final AtomicBoolean down = new AtomicBoolean();
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "shegong-redis-probe");
        t.setDaemon(true);
        return t;
    });

    /** The embedded redis-server's pidfile, to tell whether that process is still alive. */
    private final Optional<Path> pidFile;
    private final URI uri;

    private Redis(URI uri, String prefix, RedisServer embedded, Path pidFile) {
        this.uri = uri;
        this.client = RedisClients.connect(uri);
        this.prefix = prefix;
        this.embedded = Optional.ofNullable(embedded);
        this.pidFile = Optional.ofNullable(pidFile);
    }

    /** Connects to {@code url} when present, else starts embedded Redis with its files under {@code dataDir}. */
    public static Redis open(Optional<URI> url, String prefix, Path dataDir) {
        if (url.isPresent()) {
            Redis redis = new Redis(url.get(), prefix, null, null);
            redis.requireReachable("REDIS_URL");
            return redis;
        }
        Path dir = dataDir.resolve("redis");
        try {
            Files.createDirectories(dir);
            stopLeftOver(dir.resolve("redis.pid"));
            int port = freePort();
            RedisServer server = RedisServer.newRedisServer()
                    .executableProvider(ExecutableProvider.newJarResourceProvider(dir.toFile()))
                    .bind("127.0.0.1")
                    .port(port)
                    .setting("dir " + dir.toAbsolutePath())
                    .setting("pidfile " + dir.resolve("redis.pid").toAbsolutePath())
                    .setting("appendonly yes")
                    .setting("save 60 1")
                    .onShutdownForceStop(true)
                    .build();
            server.start();
            LOG.info(() -> "Embedded Redis on 127.0.0.1:" + port + ", folder " + dir);
            Redis redis = new Redis(URI.create("redis://127.0.0.1:" + port), prefix, server, dir.resolve("redis.pid"));
            redis.requireReachable("embedded Redis");
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded Redis in " + dir, e);
        }
    }

    /**
     * A crashed service (kill -9) leaves its embedded redis-server running on the data folder; the
     * next start stops it rather than run a second one beside it.
     */
    private static void stopLeftOver(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle.of(pid).filter(p -> p.info().command().map(c -> c.contains("redis-server")).orElse(false))
                    .ifPresent(p -> {
                        LOG.info("stopping the embedded Redis a previous run left behind (pid " + pid + ")");
                        p.destroy();
                        try {
                            p.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
                        } catch (Exception stillRunning) {
                            p.destroyForcibly();
                        }
                    });
        } catch (NumberFormatException e) {
            LOG.fine("unreadable redis.pid");
        }
        Files.deleteIfExists(pidFile);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
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
        if (pidFile.isEmpty() || !Files.exists(pidFile.get())) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile.get()).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
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
            embedded.filter(server -> !embeddedAlive()).ifPresent(Redis::restart);
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

    private boolean embeddedAlive() {
        return embeddedPid().flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The embedded redis-server died (killed, out of memory): start it again on its port and folder. */
    private static void restart(RedisServer server) {
        try {
            server.stop();
        } catch (IOException | RuntimeException ignored) {
            // it is gone already
        }
        try {
            server.start();
            LOG.info("embedded Redis restarted");
        } catch (IOException | RuntimeException e) {
            LOG.fine(() -> "embedded Redis not restarted yet: " + e.getClass().getSimpleName());
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
        embedded.ifPresent(server -> {
            try {
                server.stop();
            } catch (IOException e) {
                LOG.warning("embedded Redis did not stop cleanly: " + e.getMessage());
            }
        });
    }
}
