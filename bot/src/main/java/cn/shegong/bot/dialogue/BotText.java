package cn.shegong.bot.dialogue;

import java.util.Locale;
import java.util.Optional;

import cn.shegong.core.text.TextKey;

/** The texts the bot sends, each a file in {@code templates/texts/}. */
public enum BotText implements TextKey {
    GREETING,
    WELCOME,
    BUSY,
    VOICE_UNCLEAR,
    MENU_HELP,
    MENU_HOTLINES,
    MENU_POLICY_DIBAO,
    MENU_POLICY_TEKUN,
    MENU_POLICY_LINSHI;

    /** The answer to a menu button whose key is {@code key} (templates/wechat/menu.json), if there is one. */
    public static Optional<BotText> forMenuKey(String key) {
        try {
            return Optional.of(valueOf("MENU_" + key.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
