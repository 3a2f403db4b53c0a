package cn.shegong.bot.dialogue;

import java.util.Optional;

import cn.shegong.bot.wechat.InboundMessage;
import cn.shegong.core.text.Texts;

/**
 * Decides what to say to a message. For now a text gets the greeting that says what the account
 * can do; the intake conversation replaces this.
 */
public final class Dialogue {

    private final Texts texts;

    public Dialogue(Texts texts) {
        this.texts = texts.require(BotText.values());
    }

    public Optional<String> reply(InboundMessage message) {
        return switch (message) {
            case InboundMessage.Text text -> Optional.of(texts.render(BotText.GREETING));
            case InboundMessage.Other other -> Optional.empty();
        };
    }

    /** What a resident reads when handling failed on our side. */
    public String busy() {
        return texts.render(BotText.BUSY);
    }
}
