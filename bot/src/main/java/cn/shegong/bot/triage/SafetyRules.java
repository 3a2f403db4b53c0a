package cn.shegong.bot.triage;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The safety layer under the model: rules social workers can read and extend, from
 * {@code templates/triage/safety-rules.txt}. A rule is a name, groups of words (the message must
 * contain a word of every group: who is vulnerable × what is missing × how soon), phrases that do
 * not count (after {@code !}: slang is taken out of the text before matching, so slang beside a
 * real danger does not hide it) and words that rule the whole message out (after {@code !!}: a
 * past event or a hypothetical). Matching is on the message with spaces and
 * punctuation removed, lower-cased, so a word matches across the spaces and commas people put in.
 */
public final class SafetyRules {

    /** One rule: {@code groups} each need one word present once {@code ignored} phrases are taken out; no {@code unless} word may be present. */
    public record Rule(String name, List<List<String>> groups, List<String> ignored, List<String> unless) {

        boolean matches(String normalized) {
            if (unless.stream().anyMatch(normalized::contains)) {
                return false;
            }
            String text = normalized;
            for (String phrase : ignored) {
                text = text.replace(phrase, "|");
            }
            String remaining = text;
            return groups.stream().allMatch(g -> g.stream().anyMatch(remaining::contains));
        }
    }

    private final List<Rule> rules;

    SafetyRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static SafetyRules fromTemplates() {
        return parse(Triage.lines(Triage.resource("triage/safety-rules.txt")));
    }

    static SafetyRules read(InputStream in) {
        return parse(Triage.lines(in));
    }

    static SafetyRules parse(List<String> lines) {
        List<Rule> rules = new ArrayList<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("safety rule without a name: " + line);
            }
            String body = line.substring(colon + 1);
            int twice = body.indexOf("!!");
            List<String> unless = twice < 0 ? List.of() : words(body.substring(twice + 2));
            String rest = twice < 0 ? body : body.substring(0, twice);
            int once = rest.indexOf('!');
            List<String> ignored = once < 0 ? List.of() : words(rest.substring(once + 1));
            List<List<String>> groups = Arrays.stream((once < 0 ? rest : rest.substring(0, once)).split(" / "))
                    .map(SafetyRules::words).filter(g -> !g.isEmpty()).toList();
            if (groups.isEmpty()) {
                throw new IllegalArgumentException("safety rule with no words: " + line);
            }
            rules.add(new Rule(line.substring(0, colon).strip(), groups, ignored, unless));
        }
        return new SafetyRules(rules);
    }

    private static List<String> words(String s) {
        return Arrays.stream(s.trim().split("\\s+")).filter(w -> !w.isEmpty()).map(SafetyRules::normalize).toList();
    }

    /** The first rule the message matches, if any. */
    public Optional<Rule> match(String text) {
        String normalized = normalize(text);
        return rules.stream().filter(r -> r.matches(normalized)).findFirst();
    }

    /** Every rule the message matches, for an explanation. */
    public List<Rule> matches(String text) {
        String normalized = normalize(text);
        return rules.stream().filter(r -> r.matches(normalized)).toList();
    }

    public int size() {
        return rules.size();
    }

    static String normalize(String text) {
        return String.join("", CharNgrams.tokens(text == null ? "" : text));
    }
}
