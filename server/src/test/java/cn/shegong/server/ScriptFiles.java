package cn.shegong.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import cn.shegong.core.casework.Case;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The whole replies of a conversation script ("heard"), kept in the script so a wording change
 * shows in review: what varies from run to run (case numbers, short codes) is masked, and
 * {@code -Dscripts.regenerate=true} writes them back, one turn per line as the scripts are kept.
 */
final class ScriptFiles {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NUMBER = Pattern.compile("BS\\d{8}-\\d{4}");

    private ScriptFiles() {
    }

    /** The reply with the run's case numbers and short codes masked. */
    static String normalize(String reply, List<Case> cases) {
        String out = NUMBER.matcher(reply).replaceAll("BS########-####");
        out = out.replaceAll("(?m)^\\d{4}(?= )", "####"); // a list's short codes, whoever's cases they are
        for (Case c : cases) {
            out = out.replaceAll("(?<![\\d*])" + c.shortCode() + "(?!\\d)", "####");
        }
        return out;
    }

    /** Writes {@code heard} (by turn index) into the script file, keeping one turn per line. */
    static void writeHeard(Path file, JsonNode script, Map<Integer, String> heard) throws IOException {
        List<String> turns = new ArrayList<>();
        int i = 0;
        for (JsonNode turn : script.get("turns")) {
            ObjectNode t = turn.deepCopy();
            if (heard.containsKey(i)) {
                t.put("heard", heard.get(i));
            }
            turns.add("    " + JSON.writeValueAsString(t));
            i++;
        }
        List<String> parts = new ArrayList<>();
        if (script.has("workers")) { // who is in the script, then what happens, then what must be true after
            parts.add("  \"workers\": " + JSON.writeValueAsString(script.get("workers")));
        }
        parts.add("  \"turns\": [\n" + String.join(",\n", turns) + "\n  ]");
        for (var field : iterable(script)) {
            if (!field.getKey().equals("turns") && !field.getKey().equals("workers")) {
                parts.add("  " + JSON.writeValueAsString(field.getKey()) + ": " + JSON.writeValueAsString(field.getValue()));
            }
        }
        String out = "{\n" + String.join(",\n", parts) + "\n}\n";
        Files.writeString(file, out, StandardCharsets.UTF_8);
    }

    private static List<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        node.fields().forEachRemaining(out::add);
        return out;
    }
}
