package cn.shegong.server.bench;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service's MongoDB commands by command and collection, read from its
 * {@code shegong_mongo_commands_total} metric; the difference of two readings divided by the
 * pushes sent between them is what a message costs, background work it causes (the outbox's
 * sends, a new request's routing) included. With them, the documents the embedded store's
 * queries scanned ({@code shegong_embedded_documents_scanned_total}).
 */
public record MongoCounts(Map<String, Double> counts, double scanned) {

    private static final Pattern LINE = Pattern.compile("^shegong_mongo_commands_total\\{([^}]*)}\\s+([0-9.eE+-]+)", Pattern.MULTILINE);
    private static final Pattern COMMAND = Pattern.compile("command=\"([^\"]*)\"");
    private static final Pattern SCANNED = Pattern.compile("^shegong_embedded_documents_scanned_total(?:\\{[^}]*})?\\s+([0-9.eE+-]+)", Pattern.MULTILINE);
    private static final Pattern COLLECTION = Pattern.compile("collection=\"([^\"]*)\"");

    public static MongoCounts parse(String metrics) {
        Map<String, Double> counts = new HashMap<>();
        Matcher line = LINE.matcher(metrics);
        while (line.find()) {
            Matcher command = COMMAND.matcher(line.group(1));
            Matcher collection = COLLECTION.matcher(line.group(1));
            if (command.find() && collection.find()) {
                counts.merge(command.group(1) + " " + collection.group(1), Double.parseDouble(line.group(2)), Double::sum);
            }
        }
        Matcher scanned = SCANNED.matcher(metrics);
        return new MongoCounts(counts, scanned.find() ? Double.parseDouble(scanned.group(1)) : 0);
    }

    /** How many {@code command}s on {@code collection} were counted. */
    public double of(String command, String collection) {
        return counts.getOrDefault(command + " " + collection, 0.0);
    }

    /** Commands per push between {@code before} and this reading, largest first, and the documents scanned, to the end of the line. */
    public void printPerMessage(PrintStream out, MongoCounts before, int pushes) {
        Map<String, Double> per = new HashMap<>();
        counts.forEach((key, n) -> {
            double d = (n - before.counts.getOrDefault(key, 0.0)) / pushes;
            if (d >= 0.005) {
                per.put(key, d);
            }
        });
        double total = per.values().stream().mapToDouble(Double::doubleValue).sum();
        StringBuilder line = new StringBuilder(String.format("%.2f MongoDB commands per push (", total));
        per.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> line.append(String.format("%.2f %s, ", e.getValue(), e.getKey())));
        out.println((per.isEmpty() ? line.append("none)") : line.replace(line.length() - 2, line.length(), ")"))
                .append(String.format("; %.1f documents scanned per push", (scanned - before.scanned) / pushes)));
    }
}
