package cn.shegong.server;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code LOG_FORMAT=json}: one JSON object per line on the console, for a log collector —
 * {@code time} (UTC), {@code level}, {@code logger}, {@code thread}, {@code message} and, for a
 * failure, {@code error} (the exception's class and message; the stack trace stays out). The same
 * levels and the same rule apply: no personal data at INFO.
 */
final class JsonLogs extends Formatter {

    static final String SETTING = "LOG_FORMAT";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Switches every console handler of the root logger to JSON lines when {@code LOG_FORMAT=json}. */
    static void applyIfAsked(Map<String, String> env) {
        if ("json".equalsIgnoreCase(env.getOrDefault(SETTING, "").strip())) {
            for (Handler h : Logger.getLogger("").getHandlers()) {
                h.setFormatter(new JsonLogs());
            }
        }
    }

    @Override
    public String format(LogRecord record) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.ofEpochMilli(record.getMillis()).toString());
        line.put("level", record.getLevel().getName());
        line.put("logger", record.getLoggerName());
        line.put("thread", Thread.currentThread().getName());
        line.put("message", formatMessage(record));
        if (record.getThrown() != null) {
            line.put("error", record.getThrown().getClass().getName() + ": " + record.getThrown().getMessage());
        }
        try {
            return JSON.writeValueAsString(line) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            return "{\"level\":\"SEVERE\",\"message\":\"a log line could not be written as JSON\"}" + System.lineSeparator();
        }
    }
}
