package cn.shegong.bot.dialogue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import cn.shegong.core.outbox.OutboxItem;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/** The tappable options offered after a question (templates/menus.yaml), so a thumb can answer it. */
public final class Menus {

    public enum Question { CONSENT, SUMMARY, CANCEL, RATING }

    private final Config root = Config.just(ConfigSources.classpath("menus.yaml"));
    private final String head = root.get("head").asString().orElse("");
    private final String tail = root.get("tail").asString().orElse("");

    public OutboxItem.Menu get(Question question) {
        String key = question.name().toLowerCase(Locale.ROOT);
        List<OutboxItem.Option> options = new ArrayList<>();
        for (Config o : root.get(key).asNodeList().orElseThrow(() -> new IllegalStateException("menus.yaml has no '" + key + "'"))) {
            options.add(new OutboxItem.Option(o.get("id").asString().get(), o.get("label").asString().get()));
        }
        return new OutboxItem.Menu(head, options, tail);
    }

    /** Options made on the spot (a numbered choice of categories), with the usual head and tail. */
    public OutboxItem.Menu of(List<OutboxItem.Option> options) {
        return new OutboxItem.Menu(head, options, tail);
    }
}
