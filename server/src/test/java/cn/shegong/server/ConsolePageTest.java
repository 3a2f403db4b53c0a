package cn.shegong.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console page's element ids are unique and every id the script looks up exists. */
class ConsolePageTest {

    static final Path CONSOLE = Path.of("..").toAbsolutePath().normalize().resolve("templates/console");

    @Test
    void idsAreUniqueAndEveryLookedUpIdExists() throws Exception {
        String html = Files.readString(CONSOLE.resolve("index.html"));
        Set<String> ids = new HashSet<>();
        Set<String> duplicates = new TreeSet<>();
        Matcher m = Pattern.compile("\\bid=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            if (!ids.add(m.group(1))) {
                duplicates.add(m.group(1));
            }
        }
        assertEquals(Set.of(), duplicates, "duplicate ids: getElementById would find the wrong element");
        Set<String> missing = new TreeSet<>();
        Matcher lookups = Pattern.compile("\\$\\('([^']+)'\\)").matcher(Files.readString(CONSOLE.resolve("app.js")));
        while (lookups.find()) {
            if (!ids.contains(lookups.group(1))) {
                missing.add(lookups.group(1));
            }
        }
        assertTrue(missing.isEmpty(), "app.js looks up ids index.html lacks: " + missing);
    }
}
