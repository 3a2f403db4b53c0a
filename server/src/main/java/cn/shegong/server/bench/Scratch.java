package cn.shegong.server.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A bench's temporary folder (its stores and logs: hundreds of MB after a webhook run), deleted
 * when the bench ends unless {@link #keep} was called — a run that failed keeps its logs.
 */
public final class Scratch implements AutoCloseable {

    private final Path dir;
    private boolean keep;

    private Scratch(Path dir) {
        this.dir = dir;
    }

    public static Scratch create(String prefix) throws IOException {
        return new Scratch(Files.createTempDirectory(prefix));
    }

    public Path dir() {
        return dir;
    }

    /** Keeps the folder (and says where it is). */
    public Path keep() {
        keep = true;
        return dir;
    }

    @Override
    public void close() {
        if (keep) {
            return;
        }
        try {
            deleteTree(dir);
        } catch (UncheckedIOException e) { // a child still closing its files: the results stand
            System.err.println("could not delete " + dir + " (" + e.getMessage() + ")");
        }
    }

    /** Deletes {@code dir} and everything in it; nothing when it does not exist. */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
