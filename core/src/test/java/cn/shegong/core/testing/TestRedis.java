package cn.shegong.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

/**
 * The real Redis tests run against (127.0.0.1:6379, or {@code SHEGONG_TEST_REDIS_URL}), with a key
 * prefix of its own so runs never see each other's keys. Closing it deletes the run's keys.
 * On a machine where nothing answers on 6379 (and no URL is given), the redis-server binary that
 * embedded-redis ships is started once for the JVM instead, so the suite still runs anywhere.
 */
public final class TestRedis implements AutoCloseable {

    public static final URI URL = resolveUrl();

    private final String prefix = "shegong-test:" + UUID.randomUUID() + ":";
    private final RedisClient client = RedisClient.create(URL);

    private static URI resolveUrl() {
        String configured = System.getenv("SHEGONG_TEST_REDIS_URL");
        if (configured != null) {
            return URI.create(configured);
        }
        URI local = URI.create("redis://127.0.0.1:6379");
        try (RedisClient probe = RedisClient.create(local)) {
            probe.ping();
            return local;
        } catch (RuntimeException nothingOn6379) {
            return startEmbedded();
        }
    }

    private static URI startEmbedded() {
        try {
            Path dir = Files.createTempDirectory("shegong-test-redis");
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            RedisServer server = RedisServer.newRedisServer()
                    .executableProvider(ExecutableProvider.newJarResourceProvider(dir.toFile()))
                    .bind("127.0.0.1").port(port)
                    .setting("dir " + dir).setting("save \"\"").setting("appendonly no")
                    .build();
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.stop();
                    try (var files = Files.walk(dir)) {
                        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                } catch (IOException ignored) {
                    // the JVM is exiting; a leftover temp folder is harmless
                }
            }));
            return URI.create("redis://127.0.0.1:" + port);
        } catch (IOException e) {
            throw new UncheckedIOException("no Redis on 127.0.0.1:6379 and embedded Redis did not start", e);
        }
    }

    public String prefix() {
        return prefix;
    }

    public RedisClient client() {
        return client;
    }

    /** The keys this run has written, without the prefix. */
    public List<String> keys() {
        return scan().stream().map(k -> k.substring(prefix.length())).sorted().toList();
    }

    private List<String> scan() {
        List<String> keys = new java.util.ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = client.scan(cursor, new ScanParams().match(prefix + "*").count(500));
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return keys;
    }

    @Override
    public void close() {
        List<String> keys = scan();
        if (!keys.isEmpty()) {
            client.del(keys.toArray(String[]::new));
        }
        client.close();
    }
}
