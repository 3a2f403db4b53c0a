package cn.shegong.server.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import cn.shegong.bot.triage.Triage;

/**
 * A service under test in a JVM of its own, as in production: the same classes, the options a
 * container would give it ({@code -XX:ActiveProcessorCount}, a fixed heap, Serial GC), pinned to
 * the last {@code cpus} cores with {@code taskset} when that is available, so the load generator
 * (this JVM, pinned to the other cores) does not take its CPU.
 */
public final class ChildService implements AutoCloseable {

    private static final String HEAP = "512m";
    /**
     * The machine's cores, read before this JVM pins itself: afterwards the JVM sees only its own
     * share, and a second child (the floor, a bench's next run) was neither pinned nor given the
     * other core — it ran on the load generator's.
     */
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private final Process process;
    private List<ProcessHandle> orphans = List.of(); // its children when it was killed
    private final int port;
    private final int adminPort;

    private ChildService(Process process, int port, int adminPort) {
        this.process = process;
        this.port = port;
        this.adminPort = adminPort;
    }

    /**
     * Starts {@code command} (serve, or bench-floor) on fresh embedded stores in {@code dataDir} and
     * waits until it is ready; with {@code pinCaller} this JVM then keeps to the other cores.
     */
    public static ChildService start(String command, int cpus, boolean pinCaller, Map<String, String> env, Path dataDir,
                                     Path log) throws Exception {
        return start(command, cpus, pinCaller, List.of(), env, dataDir, log);
    }

    /** As above, with {@code jvmOptions} added to the JVM's (e.g. {@code -XX:AOTCache=FILE}). */
    public static ChildService start(String command, int cpus, boolean pinCaller, List<String> jvmOptions,
                                     Map<String, String> env, Path dataDir, Path log) throws Exception {
        int port = freePort();
        int adminPort = freePort();
        if (command.equals("serve")) { // the triage models this JVM has (or trains once), so each child need not train them (~30 s)
            Triage.fromTemplates(Optional.of(dataDir.resolve("models")));
        }
        ProcessBuilder pb = new ProcessBuilder(command(List.of(command), cpus, jvmOptions)).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        pb.environment().putAll(Map.of("SHEGONG_DATA_DIR", dataDir.toString(), "SERVER_HOST", "127.0.0.1",
                "SERVER_PORT", Integer.toString(port), "ADMIN_PORT", Integer.toString(adminPort)));
        ChildService child = new ChildService(pb.start(), port, adminPort);
        if (pinned(cpus) && pinCaller) {
            pinSelf(CORES - cpus);
        }
        child.awaitReady();
        return child;
    }

    /**
     * Runs the command {@code mainArgs} to its end in a JVM set up as {@link #start} sets one up;
     * false if it failed or ran past {@code limit} (then it is stopped).
     */
    public static boolean runToEnd(List<String> mainArgs, int cpus, List<String> jvmOptions, Path log, Duration limit) throws Exception {
        Process p = new ProcessBuilder(command(mainArgs, cpus, jvmOptions)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return false;
        }
        return p.exitValue() == 0;
    }

    private static boolean pinned(int cpus) {
        return cpus > 0 && cpus < CORES && Files.isExecutable(Path.of("/usr/bin/taskset"));
    }

    private static List<String> command(List<String> mainArgs, int cpus, List<String> jvmOptions) {
        List<String> cmd = new ArrayList<>();
        if (pinned(cpus)) {
            cmd.addAll(List.of("taskset", "-c", (CORES - cpus) + "-" + (CORES - 1)));
        }
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        if (cpus > 0) {
            cmd.add("-XX:ActiveProcessorCount=" + cpus);
        }
        cmd.addAll(List.of("-Xms" + HEAP, "-Xmx" + HEAP, "-XX:+UseSerialGC", "-Dfile.encoding=UTF-8"));
        if (Runtime.version().feature() >= 24) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "cn.shegong.server.Main"));
        cmd.addAll(mainArgs);
        return cmd;
    }

    /** The load generator keeps to the cores the service does not have. */
    private static void pinSelf(int otherCores) throws IOException, InterruptedException {
        new ProcessBuilder("taskset", "-a", "-p", "-c", "0-" + (otherCores - 1), Long.toString(ProcessHandle.current().pid()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        try (HttpClient http = HttpClient.newHttpClient()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the service stopped while starting (exit " + process.exitValue() + ")");
                }
                if (health(http) == 200) {
                    return;
                }
                Thread.sleep(200); // polling a process we started; there is no other signal of readiness
            }
        }
        throw new IllegalStateException("the service was not ready within 90 s");
    }

    /** The status of {@code /observe/health}, or 0 when it did not answer within 2 seconds. */
    public int health(HttpClient http) {
        try {
            return http.send(HttpRequest.newBuilder(adminUri().resolve("/observe/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** The service's {@code /observe/metrics}, in Prometheus' text format. */
    public String metrics(HttpClient http) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(adminUri().resolve("/observe/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** CPU time the process has used so far (user and system), in milliseconds; -1 where the platform does not tell. */
    public long cpuMillis() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
    }

    /**
     * CPU time the JIT's compiler threads have used so far, in milliseconds: their {@code utime} and
     * {@code stime} in {@code /proc} (Linux, 100 ticks a second); -1 where that cannot be read.
     */
    public long compilerCpuMillis() {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + process.pid() + "/task"))) {
            long ticks = 0;
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).strip().matches("C[12] Compiler.*")) {
                        String stat = Files.readString(task.resolve("stat"));
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // from field 3, the state
                        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // fields 14 and 15
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
            return ticks * 10;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Resident memory of the service process, in MiB (Linux). */
    public long rssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The admin socket: the console, health and metrics. */
    public URI adminUri() {
        return URI.create("http://127.0.0.1:" + adminPort);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * kill -9: no shutdown hook runs, nothing is flushed. Its own children (an embedded
     * redis-server) live on, as after a real crash, until {@link #close}.
     */
    public void kill() throws InterruptedException {
        orphans = process.descendants().toList();
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList(); // its embedded redis-server
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        List<ProcessHandle> left = new ArrayList<>(children); // only if its own stop did not
        left.addAll(orphans); // left by a kill
        stop(left);
    }

    /**
     * Stops them and waits until they are gone, killing what has not exited in 10 s. Asking was
     * not always enough: a redis-server left behind by a CI run was still running seconds after a
     * SIGTERM, its test's folder already deleted (why, unknown: one started and stopped by hand the
     * same way exits at once).
     */
    private static void stop(List<ProcessHandle> processes) throws InterruptedException {
        processes.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
        for (ProcessHandle p : processes) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                p.destroyForcibly();
            }
        }
    }
}
