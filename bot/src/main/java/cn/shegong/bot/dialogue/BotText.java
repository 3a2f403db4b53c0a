package cn.shegong.bot.dialogue;

import cn.shegong.core.text.TextKey;

/** The texts the bot sends, each a file in {@code templates/texts/}. */
public enum BotText implements TextKey {
    GREETING,
    BUSY
}
