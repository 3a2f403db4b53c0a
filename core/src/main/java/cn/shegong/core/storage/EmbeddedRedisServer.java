package cn.shegong.core.storage;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

/**
 * The redis-server binary shipped in embedded-redis, run by the service when no Redis URL is
 * given: on a free loopback port, its files (append-only file on, pid file) in a folder under the
 * data folder. A server a crashed run left behind is stopped first; one that died is started again
 * on the same port and folder.
 */
final class EmbeddedRedisServer {

    private static final Logger LOG = Logger.getLogger(EmbeddedRedisServer.class.getName());

    private final RedisServer server;
    private final Path pidFile;
    private final int port;

    private EmbeddedRedisServer(RedisServer server, Path pidFile, int port) {
        this.server = server;
        this.pidFile = pidFile;
        this.port = port;
    }

    static EmbeddedRedisServer start(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path pidFile = dir.resolve("redis.pid");
        stopLeftOver(pidFile);
        int port = freePort();
        RedisServer server = RedisServer.newRedisServer()
                .executableProvider(ExecutableProvider.newJarResourceProvider(dir.toFile()))
                .bind("127.0.0.1")
                .port(port)
                .setting("dir " + dir.toAbsolutePath())
                .setting("pidfile " + pidFile.toAbsolutePath())
                .setting("appendonly yes")
                .setting("save 60 1")
                .onShutdownForceStop(true)
                .build();
        server.start();
        LOG.info(() -> "Embedded Redis on 127.0.0.1:" + port + ", folder " + dir);
        return new EmbeddedRedisServer(server, pidFile, port);
    }

    URI uri() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    /** The redis-server's process id, for fault drills that pause or kill it. */
    Optional<Long> pid() {
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    boolean alive() {
        return pid().flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
    }

    /** It died (killed, out of memory): start it again on its port and folder. */
    void restart() {
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

    void stop() {
        try {
            server.stop();
            stopLeftOver(pidFile); // one the library lost track of: a restart whose wait for it ran out while it came up
        } catch (IOException e) {
            LOG.warning("embedded Redis did not stop cleanly: " + e.getMessage());
        }
    }

    /**
     * A crashed service (kill -9) leaves its embedded redis-server running on the data folder; the
     * next start stops it rather than run a second one beside it. A stop does the same for one the
     * library no longer tracks.
     */
    private static void stopLeftOver(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle.of(pid).filter(p -> p.info().command().map(c -> c.contains("redis-server")).orElse(false))
                    .ifPresent(p -> {
                        LOG.info("stopping an embedded Redis still running on this folder (pid " + pid + ")");
                        p.destroy();
                        try {
                            p.onExit().get(5, TimeUnit.SECONDS);
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
}
