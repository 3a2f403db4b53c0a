package cn.shegong.bot.intake;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import cn.shegong.core.casework.Case;
import cn.shegong.core.casework.Category;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * What words mean, from templates/: command words a resident may send at any time (words.yaml),
 * labels of categories and statuses (labels.yaml), and which FAQ answer a policy question gets
 * (faq.yaml). None of it is in Java, so staff can change the wording.
 */
public final class Vocabulary {

    /** Meanings in words.yaml. */
    enum Meaning { PROGRESS, CANCEL, HUMAN, AGREE, REFUSE, CONFIRM, EDIT, WRONG, KEEP, NO_COMMENT, GREETING, THANKS }

    private record FaqEntry(List<String> keywords, String textKey) {
    }

    private final Map<Meaning, Set<String>> words = new LinkedHashMap<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final List<FaqEntry> faq;
    private final java.util.regex.Pattern namePattern;
    private final java.util.regex.Pattern bareName;

    public Vocabulary() {
        Config w = Config.just(ConfigSources.classpath("words.yaml"));
        for (Meaning m : Meaning.values()) {
            words.put(m, w.get(m.name().toLowerCase(java.util.Locale.ROOT)).asList(String.class).orElseThrow(
                    () -> new IllegalStateException("words.yaml has no '" + m.name().toLowerCase(java.util.Locale.ROOT) + "'"))
                    .stream().map(Vocabulary::normalize).collect(Collectors.toSet()));
        }
        String names = String.join("|", w.get("name_cues").asList(String.class).get().stream().map(java.util.regex.Pattern::quote).toList());
        String surnames = String.join("|", w.get("surname_cues").asList(String.class).get().stream().map(java.util.regex.Pattern::quote).toList());
        namePattern = java.util.regex.Pattern.compile("(?:" + names + ")[:\\s\\p{Punct}\\uFF1A]*(\\p{IsHan}{2,4}?)(?=$|[^\\p{IsHan}])"
                + "|(?:" + surnames + ")(\\p{IsHan})");
        String family = String.join("|", w.get("surnames").asList(String.class).get().stream().map(java.util.regex.Pattern::quote).toList());
        String before = String.join("|", w.get("name_prefixes").asList(String.class).get().stream().map(java.util.regex.Pattern::quote).toList());
        bareName = java.util.regex.Pattern.compile("(?:" + before + ")?(?:" + family + ")\\p{IsHan}{0,3}");
        Config l = Config.just(ConfigSources.classpath("labels.yaml"));
        for (Category c : Category.values()) {
            labels.put("category." + c.code(), l.get("category." + c.code()).asString().get());
        }
        for (Case.Status s : Case.Status.values()) {
            labels.put("status." + s.name(), l.get("status." + s.name()).asString().get());
        }
        for (String kind : List.of("text", "image", "voice", "video", "location")) {
            labels.put("media." + kind, l.get("media." + kind).asString().get());
        }
        faq = Config.just(ConfigSources.classpath("faq.yaml")).get("entries").asNodeList().orElseThrow().stream()
                .map(e -> new FaqEntry(e.get("keywords").asList(String.class).get(), e.get("text").asString().get())).toList();
    }

    /** True when the whole message is one of the words for {@code meaning} (spaces and punctuation ignored). */
    boolean is(String text, Meaning meaning) {
        return words.get(meaning).contains(normalize(text));
    }

    public String label(Category category) {
        return labels.get("category." + category.code());
    }

    public String label(Case.Status status) {
        return labels.get("status." + status.name());
    }

    /** What a kind of message is called: 照片 for image, and so on. */
    public String mediaLabel(String kind) {
        return labels.getOrDefault("media." + kind, kind);
    }

    /** The text key (a file in texts/) answering a policy question, if any keyword matches. */
    Optional<String> faqAnswer(String question) {
        return faq.stream().filter(e -> e.keywords().stream().anyMatch(question::contains)).map(FaqEntry::textKey).findFirst();
    }

    /**
     * The message as a name, if it is nothing else: two to five Chinese characters beginning with
     * a surname (possibly after a prefix such as lao or xiao), none of the words of words.yaml and
     * not beginning with a thanks (xiexie is thanks, not Mr Xie). Asked only when the name is all
     * that is missing: a short reply beginning with a surname's character can be something else.
     */
    Optional<String> bareName(String text) {
        String n = normalize(text);
        boolean thanks = words.get(Meaning.THANKS).stream().anyMatch(n::startsWith); // and any thanks that begins like one
        return n.length() >= 2 && n.length() <= 5 && !isWord(n) && !thanks && bareName.matcher(n).matches() ? Optional.of(n) : Optional.empty();
    }

    /** True when the whole message is one of the words of words.yaml, whatever it means (a thanks, an okay). */
    boolean isWord(String text) {
        String n = normalize(text);
        return words.values().stream().anyMatch(w -> w.contains(n));
    }

    /** Group 1: a full name after a name cue; group 2: a surname after a surname cue. */
    java.util.regex.Pattern namePattern() {
        return namePattern;
    }

    /** The text keys faq.yaml uses, so a test can check each has its file. */
    public Set<String> faqTextKeysForTest() {
        return faq.stream().map(FaqEntry::textKey).collect(Collectors.toSet());
    }

    static String normalize(String text) {
        return text.toLowerCase(java.util.Locale.ROOT).codePoints().filter(Character::isLetterOrDigit)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
