package cn.shegong.bot.dialogue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import cn.shegong.core.outbox.OutboxItem;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/** The tappable options offered after a question (templates/menus.yaml), so a thumb can answer it. */
public final class Menus {

    /** What a menu answers; an option's id is {@code question:answer}, so a tap on an old menu is recognised as old. */
    public enum Question { CONSENT, SUMMARY, CANCEL, RATING, CHOOSE;

        String prefix() {
            return name().toLowerCase(Locale.ROOT) + ":";
        }
    }

    /** A tapped option: which question it answered and the answer it stands for. */
    public record Tap(Question question, String answer) {

        /** The tap an option id stands for, if it is one of ours. */
        public static java.util.Optional<Tap> of(String optionId) {
            for (Question q : Question.values()) {
                if (optionId.startsWith(q.prefix()) && optionId.length() > q.prefix().length()) {
                    return java.util.Optional.of(new Tap(q, optionId.substring(q.prefix().length())));
                }
            }
            return java.util.Optional.empty();
        }
    }

    private final Config root = Config.just(ConfigSources.classpath("menus.yaml"));
    private final String head = root.get("head").asString().orElse("");
    private final String tail = root.get("tail").asString().orElse("");

    public OutboxItem.Menu get(Question question) {
        String key = question.name().toLowerCase(Locale.ROOT);
        List<OutboxItem.Option> options = new ArrayList<>();
        for (Config o : root.get(key).asNodeList().orElseThrow(() -> new IllegalStateException("menus.yaml has no '" + key + "'"))) {
            options.add(new OutboxItem.Option(question.prefix() + o.get("id").asString().get(), o.get("label").asString().get()));
        }
        return new OutboxItem.Menu(head, options, tail);
    }

    /** A numbered choice made on the spot (categories), with the usual head and tail; labels by number from 1. */
    public OutboxItem.Menu choice(List<String> labels) {
        List<OutboxItem.Option> options = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            options.add(new OutboxItem.Option(Question.CHOOSE.prefix() + (i + 1), labels.get(i)));
        }
        return new OutboxItem.Menu(head, options, tail);
    }
}
