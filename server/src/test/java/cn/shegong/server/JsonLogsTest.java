package cn.shegong.server;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** {@code LOG_FORMAT=json}: each log record is one line of JSON a collector can parse, without stack traces. */
class JsonLogsTest {

    @Test
    void aRecordIsOneParsableLineWithItsFieldsAndTheErrorButNoStack() throws Exception {
        LogRecord record = new LogRecord(Level.WARNING, "outbox item {0} failed: \"quoted\"\nsecond line");
        record.setParameters(new Object[] {"abc123"});
        record.setLoggerName("cn.shegong.bot.outbound.Outbox");
        record.setThrown(new IllegalStateException("boom"));
        String line = new JsonLogs().format(record);

        assertEquals(1, line.strip().lines().count(), "one line: " + line);
        Map<?, ?> json = new ObjectMapper().readValue(line, Map.class);
        assertEquals("WARNING", json.get("level"));
        assertEquals("cn.shegong.bot.outbound.Outbox", json.get("logger"));
        assertEquals("outbox item abc123 failed: \"quoted\"\nsecond line", json.get("message"));
        assertEquals("java.lang.IllegalStateException: boom", json.get("error"));
        assertFalse(line.contains("at cn.shegong"), "no stack trace");
    }
}
