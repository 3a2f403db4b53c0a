package cn.shegong.server.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.bot.triage.Triage;

/**
 * A bench's {@code --aot} (train an ahead-of-time cache first, in a JVM set up like the service's)
 * or {@code --aot-cache FILE} (use one trained earlier for the same jars and JDK): the service then
 * starts as the Docker image starts it. JDK 25 or newer.
 */
record AotChoice(boolean train, Optional<Path> cache) {

    static AotChoice of(Map<String, String> opts) {
        AotChoice choice = new AotChoice(opts.containsKey("--aot"), Optional.ofNullable(opts.get("--aot-cache")).map(Path::of));
        if ((choice.train() || choice.cache().isPresent()) && Runtime.version().feature() < 25) {
            throw new IllegalArgumentException("--aot needs JDK 25 or newer (this is " + Runtime.version().feature() + ")");
        }
        if (choice.train() && choice.cache().isPresent()) {
            throw new IllegalArgumentException("--aot trains a cache, --aot-cache uses one: give one of them");
        }
        if (choice.cache().isPresent() && !Files.isRegularFile(choice.cache().get())) {
            throw new IllegalArgumentException("no cache at " + choice.cache().get());
        }
        return choice;
    }

    boolean any() {
        return train || cache.isPresent();
    }

    /** The service's JVM options: none, or the cache (trained now in {@code dir} if asked). */
    List<String> serveOptions(Path dir, int cpus, PrintStream out) throws Exception {
        Optional<Path> use = train ? Optional.of(train(dir, cpus, out)) : cache;
        // AOTMode=on: a cache the JVM cannot use stops the start, instead of a run that is silently without it
        return use.map(c -> List.of("-XX:AOTMode=on", "-XX:AOTCache=" + c.toAbsolutePath())).orElse(List.of());
    }

    private static Path train(Path dir, int cpus, PrintStream out) throws Exception {
        Path cache = dir.resolve("shegong.aot");
        Path data = dir.resolve("aot-train");
        long start = System.nanoTime();
        Triage.fromTemplates(Optional.of(data.resolve("models"))); // trained here on all cores, not in the pinned run
        if (!ChildService.runToEnd(List.of("aot-train", "--data", data.toString()), cpus, List.of("-XX:AOTCacheOutput=" + cache),
                dir.resolve("aot-train.log"), Duration.ofMinutes(10)) || !Files.isRegularFile(cache)) {
            throw new IllegalStateException("the AOT training run failed; its log is aot-train.log");
        }
        out.printf("AOT cache trained in %.0f s: %d MiB%n", (System.nanoTime() - start) / 1e9, Files.size(cache) >> 20);
        return cache;
    }
}
