package cn.shegong.bot.worker;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * A worker's message read as a command: its word (from templates/worker-words.yaml, so stations
 * can add their own), the case it names, and the rest. Full-width letters and digits, a missing
 * space between word and case, and lower case are all accepted.
 */
record Command(Verb verb, Optional<String> ref, String rest) {

    enum Verb { BIND, UNBIND, TASKS, DETAILS, ACCEPT, SEND_BACK, CONTACT, CLOSE, REPLY, NOTE, DONE, HELP, AS_RESIDENT, ACK, SIGN_IN }

    /** Commands that change a case: refused on a closed or cancelled one. */
    static final java.util.Set<Verb> CHANGES_CASE = java.util.EnumSet.of(Verb.ACCEPT, Verb.SEND_BACK, Verb.CONTACT, Verb.CLOSE);

    static final java.util.Set<Verb> TAKES_CASE = java.util.EnumSet.of(Verb.DETAILS, Verb.ACCEPT, Verb.SEND_BACK, Verb.CONTACT,
            Verb.CLOSE, Verb.REPLY, Verb.NOTE);

    private static final Pattern REF = Pattern.compile("^\\s*((?:BS\\d{8}-?)?\\d{1,4}|V\\d{5,7}|[A-Z0-9]{6})(?=$|[\\s:：,，。])[\\s:：,，。]*",
            Pattern.CASE_INSENSITIVE);

    static final java.util.regex.Pattern TRAINING = java.util.regex.Pattern.compile("^[\\s:：]*([Tt]\\d{4})\\b");

    /** The words for each verb, longest first, so a longer word wins over its own prefix. */
    static final class Words {
        private final List<Map.Entry<String, Verb>> words;

        Words() {
            Config root = Config.just(ConfigSources.classpath("worker-words.yaml"));
            java.util.ArrayList<Map.Entry<String, Verb>> all = new java.util.ArrayList<>();
            for (Verb v : Verb.values()) {
                String key = v.name().toLowerCase(Locale.ROOT);
                root.get(key).asList(String.class).orElseThrow(() -> new IllegalStateException("worker-words.yaml has no '" + key + "'"))
                        .forEach(w -> all.add(Map.entry(fold(w), v)));
            }
            all.sort(Comparator.comparingInt((Map.Entry<String, Verb> e) -> e.getKey().length()).reversed());
            this.words = List.copyOf(all);
        }

        /**
         * The command a message is, if any. A word that takes a case counts only with a case after
         * it, or alone (then the case is asked for): a note that happens to begin with a command
         * word is a note. Words without arguments count only alone; asking for help takes any text.
         */
        Optional<Command> parse(String text) {
            String t = fold(text).strip();
            for (Map.Entry<String, Verb> w : words) {
                if (!t.startsWith(w.getKey())) {
                    continue;
                }
                String after = t.substring(w.getKey().length());
                Verb verb = w.getValue();
                Matcher m = REF.matcher(after);
                boolean alone = after.replaceAll("[\\p{Punct}\\s\\p{IsPunctuation}]", "").isEmpty();
                if (verb == Verb.AS_RESIDENT) { // alone, or before a space or colon: not a note about "the person asking for help"
                    if (alone || after.matches("^[\\s:：,，].*")) {
                        return Optional.of(new Command(verb, Optional.empty(), after.replaceFirst("^[\\s:：,，]+", "").strip()));
                    }
                    continue;
                }
                if (verb == Verb.SIGN_IN) { // 签到 T4821: a training's code, not a case
                    Matcher code = TRAINING.matcher(after);
                    if (code.find()) {
                        return Optional.of(new Command(verb, Optional.of(code.group(1).toUpperCase(Locale.ROOT)), ""));
                    }
                    if (alone) {
                        return Optional.of(new Command(verb, Optional.empty(), ""));
                    }
                    continue;
                }
                if (TAKES_CASE.contains(verb) || verb == Verb.BIND) {
                    if (m.find()) {
                        return Optional.of(new Command(verb, Optional.of(m.group(1).toUpperCase(Locale.ROOT)), after.substring(m.end()).strip()));
                    }
                    if (alone) {
                        return Optional.of(new Command(verb, Optional.empty(), ""));
                    }
                    continue;
                }
                if (alone) {
                    return Optional.of(new Command(verb, Optional.empty(), ""));
                }
            }
            return Optional.empty();
        }
    }

    /**
     * Full-width ASCII forms and the ideographic space to their half-width selves, one character
     * for one, so "０００７" and "ＢＳ" read as typed on a PC and the rest of the message keeps
     * its own punctuation.
     */
    static String fold(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            b.append(c >= '\uFF01' && c <= '\uFF5E' && !isCjkPunctuation(c) ? (char) (c - 0xFEE0) : c == '\u3000' ? ' ' : c);
        }
        return b.toString();
    }

    /** Full-width punctuation people write in Chinese sentences stays as written. */
    private static boolean isCjkPunctuation(char c) {
        return c == '\uFF0C' || c == '\uFF1A' || c == '\uFF1B' || c == '\uFF01' || c == '\uFF1F' || c == '\uFF08' || c == '\uFF09';
    }
}
