package cn.shegong.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import cn.shegong.bot.dialogue.BotText;
import cn.shegong.core.text.TextKey;
import cn.shegong.core.text.Texts;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every text people read lives in templates/texts/: each key the code names has its file, each
 * file is used by some code, and no Chinese text hides in a Java string literal.
 */
class TextsInSyncTest {

    /** Every module's text keys; a new module's enum is added here. */
    static final List<TextKey[]> ALL_KEYS = List.<TextKey[]>of(BotText.values(), cn.shegong.core.households.RegistryText.values());

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyKeyHasAFileAndEveryFileAKey() throws IOException {
        Set<String> keys = ALL_KEYS.stream().flatMap(Arrays::stream).map(TextKey::key).collect(Collectors.toCollection(TreeSet::new));
        Set<String> files;
        try (Stream<Path> list = Files.list(ROOT.resolve("templates/texts"))) {
            files = list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".mustache"))
                    .map(n -> n.substring(0, n.length() - ".mustache".length())).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(keys, files, "templates/texts/ and the TextKey enums differ");
        Texts texts = new Texts();
        ALL_KEYS.forEach(k -> texts.require(k));
    }

    @Test
    void everyFaqAnswerAndMenuButtonHasItsText() throws Exception {
        var faqKeys = new cn.shegong.bot.intake.Vocabulary().faqTextKeysForTest();
        for (String key : faqKeys) {
            assertTrue(BotText.byKey(key).isPresent(), "faq.yaml names " + key + ", which no text file answers");
        }
    }

    @Test
    void noChineseStringLiteralsInMainJava() throws IOException {
        Pattern chineseLiteral = Pattern.compile("\"[^\"\\n]*[\\x{4e00}-\\x{9fff}][^\"\\n]*\"");
        List<String> offenders = new ArrayList<>();
        for (String module : List.of("core", "bot", "admin", "server")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
                for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    List<String> lines = Files.readAllLines(file);
                    for (int i = 0; i < lines.size(); i++) {
                        if (chineseLiteral.matcher(lines.get(i)).find()) {
                            offenders.add(ROOT.relativize(file) + ":" + (i + 1));
                        }
                    }
                }
            }
        }
        assertTrue(offenders.isEmpty(), "Chinese text belongs in templates/texts/: " + offenders);
    }
}
