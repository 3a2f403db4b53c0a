package cn.shegong.server.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./shegong mongo} in a JVM of its own: the one MongoDB-wire store several service
 * processes share in the cluster and fault checks. It can be paused (SIGSTOP: a stalled or
 * partitioned server looks like this to its clients) and resumed.
 */
public final class ChildMongo implements AutoCloseable {

    private final Process process;
    private final int port;

    private ChildMongo(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Serves the store of {@code dataDir} on a free loopback port and waits until it accepts connections. */
    public static ChildMongo start(Path dataDir, Path log) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xms256m", "-Xmx1g", "-Dfile.encoding=UTF-8"));
        if (Runtime.version().feature() >= 24) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "cn.shegong.server.Main", "mongo", "--port",
                Integer.toString(port)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(Map.of("SHEGONG_DATA_DIR", dataDir.toString()));
        ChildMongo mongo = new ChildMongo(pb.start(), port);
        mongo.awaitListening();
        return mongo;
    }

    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("./shegong mongo stopped while starting (exit " + process.exitValue() + ")");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100); // polling a process we started; it gives no other signal of readiness
            }
        }
        throw new IllegalStateException("./shegong mongo did not listen within 60 s");
    }

    /** What {@code MONGODB_URI} should be for the services sharing it. */
    public String uri() {
        return "mongodb://127.0.0.1:" + port;
    }

    /** SIGSTOP: the store stops answering, its connections stay open. */
    public void pause() throws IOException, InterruptedException {
        Signals.send("STOP", process.pid());
    }

    /** SIGCONT after {@link #pause}. */
    public void resume() throws IOException, InterruptedException {
        Signals.send("CONT", process.pid());
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            resume(); // a stopped JVM cannot run its shutdown hook
        }
        process.destroy(); // the shutdown hook commits the file
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
