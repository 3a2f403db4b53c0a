package cn.shegong.bot.dialogue;

import java.util.Optional;

import cn.shegong.bot.wechat.InboundMessage;

/** What the channel asks of the dialogue: an answer to a push, if any, and what to say when we failed. */
public interface Conversation {

    Optional<Reply> reply(InboundMessage message);

    String busy();

    /** What to say to someone sending messages faster than a person writes. */
    String tooFast();
}
