package cn.shegong.bot.triage;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The safety layer under the model: rules social workers can read and extend, from
 * {@code templates/triage/safety-rules.txt}. A rule is a name, groups of words (the message must
 * contain a word of every group: who is vulnerable × what is missing × how soon) and words that
 * rule it out (past events, hypotheticals, slang). Matching is on the message with spaces and
 * punctuation removed, lower-cased, so a word matches across the spaces and commas people put in.
 */
public final class SafetyRules {

    /** One rule; {@code groups} each need one word present, {@code unless} words must all be absent. */
    public record Rule(String name, List<List<String>> groups, List<String> unless) {

        boolean matches(String normalized) {
            return groups.stream().allMatch(g -> g.stream().anyMatch(normalized::contains))
                    && unless.stream().noneMatch(normalized::contains);
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
            int bang = body.indexOf('!');
            List<String> unless = bang < 0 ? List.of() : words(body.substring(bang + 1));
            List<List<String>> groups = Arrays.stream((bang < 0 ? body : body.substring(0, bang)).split(" / "))
                    .map(SafetyRules::words).filter(g -> !g.isEmpty()).toList();
            if (groups.isEmpty()) {
                throw new IllegalArgumentException("safety rule with no words: " + line);
            }
            rules.add(new Rule(line.substring(0, colon).strip(), groups, unless));
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
