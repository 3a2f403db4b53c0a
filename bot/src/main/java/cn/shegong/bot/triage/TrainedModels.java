package cn.shegong.bot.triage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import opennlp.tools.doccat.DoccatModel;

/**
 * Training the two models on ~3,400 messages takes seconds of CPU; it is done once per version of
 * the training data and features: kept for the JVM, and in {@code folder} (the data folder) so a
 * restart loads the files instead. The key is a hash of every training message and the feature
 * version, so a change to either trains afresh; a broken file is trained over.
 */
final class TrainedModels {

    private static final Logger LOG = Logger.getLogger(TrainedModels.class.getName());
    private static final Map<String, DoccatModel[]> IN_MEMORY = new ConcurrentHashMap<>();

    private TrainedModels() {
    }

    /** The category and urgency models for {@code data}, loaded or trained. */
    static DoccatModel[] of(List<LabelledText> data, Optional<Path> folder) {
        String key = key(data);
        DoccatModel[] models = IN_MEMORY.computeIfAbsent(key, k -> folder.flatMap(f -> read(f, k)).orElseGet(() -> Triage.trainModels(data)));
        folder.filter(f -> !Files.exists(f.resolve("triage-" + key + "-urgency.bin"))).ifPresent(f -> write(f, key, models));
        return models; // kept in the folder even when this JVM had them already, for the next process on it
    }

    private static Optional<DoccatModel[]> read(Path folder, String key) {
        Path category = folder.resolve("triage-" + key + "-category.bin");
        Path urgency = folder.resolve("triage-" + key + "-urgency.bin");
        if (!Files.exists(category) || !Files.exists(urgency)) {
            return Optional.empty();
        }
        try (InputStream c = Files.newInputStream(category); InputStream u = Files.newInputStream(urgency)) {
            return Optional.of(new DoccatModel[] {new DoccatModel(c), new DoccatModel(u)});
        } catch (IOException | RuntimeException e) {
            LOG.warning("triage model files unreadable, training again: " + e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    private static void write(Path folder, String key, DoccatModel[] models) {
        try {
            Files.createDirectories(folder);
            String[] names = {"category", "urgency"};
            for (int i = 0; i < 2; i++) {
                Path tmp = Files.createTempFile(folder, "triage", ".tmp");
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    models[i].serialize(out);
                }
                Files.move(tmp, folder.resolve("triage-" + key + "-" + names[i] + ".bin"), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            LOG.warning("triage models not kept (" + e.getClass().getSimpleName() + "); they will be trained at the next start");
        }
    }

    private static String key(List<LabelledText> data) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(CharNgrams.VERSION.getBytes(StandardCharsets.UTF_8));
            for (LabelledText t : data) {
                sha.update((t.category().code() + '\t' + t.urgent() + '\t' + t.text() + '\n').getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
