package cn.shegong.core.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import redis.clients.jedis.RedisClient;
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

    private static final Logger LOG = Logger.getLogger(Redis.class.getName());

    private final RedisClient client;
    private final String prefix;
    private final Optional<RedisServer> embedded;

    private Redis(RedisClient client, String prefix, RedisServer embedded) {
        this.client = client;
        this.prefix = prefix;
        this.embedded = Optional.ofNullable(embedded);
    }

    /** Connects to {@code url} when present, else starts embedded Redis with its files under {@code dataDir}. */
    public static Redis open(Optional<URI> url, String prefix, Path dataDir) {
        if (url.isPresent()) {
            Redis redis = new Redis(RedisClient.create(url.get()), prefix, null);
            redis.requireReachable("REDIS_URL");
            return redis;
        }
        Path dir = dataDir.resolve("redis");
        try {
            Files.createDirectories(dir);
            int port = freePort();
            RedisServer server = RedisServer.newRedisServer()
                    .executableProvider(ExecutableProvider.newJarResourceProvider(dir.toFile()))
                    .bind("127.0.0.1")
                    .port(port)
                    .setting("dir " + dir.toAbsolutePath())
                    .setting("appendonly yes")
                    .setting("save 60 1")
                    .onShutdownForceStop(true)
                    .build();
            server.start();
            LOG.info(() -> "Embedded Redis on 127.0.0.1:" + port + ", folder " + dir);
            Redis redis = new Redis(RedisClient.create("127.0.0.1", port), prefix, server);
            redis.requireReachable("embedded Redis");
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded Redis in " + dir, e);
        }
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

    /** The full key for the given parts: {@code prefix + parts joined by ':'}. */
    public String key(String... parts) {
        return prefix + String.join(":", List.of(parts));
    }

    public RedisClient client() {
        return client;
    }

    @Override
    public void close() {
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
