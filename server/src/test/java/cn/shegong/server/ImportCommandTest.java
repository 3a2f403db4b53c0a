package cn.shegong.server;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import cn.shegong.core.config.ConfigLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./shegong import households FILE.csv} on a CSV as Excel in China saves it (GB18030, a
 * title row): the good row is in the registry of the running service with its next visit, the bad
 * one comes back in FILE.rejected.csv with its reason, and a second run changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImportCommandTest {

    RunningService service;

    @BeforeAll
    void start() {
        service = new RunningService(Clock.systemUTC(), new Shegong.Seams(c -> c, false));
    }

    @AfterAll
    void stop() {
        service.close();
    }

    String run(Path file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, ImportCommand.run(ConfigLoader.load(service.envForCommands()), List.of("households", file.toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8)));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aGb18030LedgerIsImportedOnceAndItsBadRowsComeBackWithReasons() throws Exception {
        Path dir = Files.createTempDirectory("import");
        Path file = dir.resolve("龙陵县留守老人台账.csv");
        Files.writeString(file, """
                龙陵县2026年农村留守老人台账,,,,
                序号,姓名,乡镇,公民身份号码,人员类别
                1,尹玉兰,龙山镇,530521195503010020,农村留守老人
                2,董兴发,龙山镇,5.30521E+17,农村留守老人
                """, Charset.forName("GB18030"));

        String first = run(file);
        assertTrue(first.contains("Created 1, updated 0, unchanged 0, rejected 1"), first);
        var household = service.shegong.households().households().byIdNumber("530521195503010020").orElseThrow();
        assertEquals("尹玉兰", household.head().name());
        assertTrue(household.nextVisit().isPresent());
        String rejected = Files.readString(dir.resolve("龙陵县留守老人台账.rejected.csv"), StandardCharsets.UTF_8);
        assertTrue(rejected.startsWith("\uFEFF未导入的原因,序号,姓名"), rejected);
        assertTrue(rejected.contains("科学计数法") && rejected.contains("董兴发"), rejected);

        assertTrue(run(file).contains("Created 0, updated 0, unchanged 1, rejected 1"), "a second run changes nothing");
    }
}
