package cn.shegong.bot.dialogue;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import cn.shegong.core.text.TextKey;

/** The texts the bot sends, each a file in {@code templates/texts/}. */
public enum BotText implements TextKey {
    GREETING, WELCOME, BUSY, TOO_FAST, VOICE_UNCLEAR,
    HELLO, YOU_ARE_WELCOME, MENU_HELP, MENU_HOTLINES, MENU_POLICY_DIBAO, MENU_POLICY_TEKUN, MENU_POLICY_LINSHI,
    PRIVACY_NOTICE, CONSENT_REMINDER, CONSENT_REFUSED,
    URGENT, URGENT_ASK, CATEGORY_CONFIRMED, ASK_MISSING, ASK_TOWNSHIP, ASK_PHONE, ASK_NAME, CHOOSE_CATEGORY, BAD_PHONE,
    SUMMARY, EDIT_PROMPT, CASE_CREATED, CASE_COMPLETED,
    FAQ_OFFER, FAQ_HOURS, FAQ_DISABILITY, FAQ_CHILDREN, OTHER_CATEGORY,
    STATUS_LIST, NO_CASES, CANCEL_CONFIRM_INTAKE, CANCEL_CONFIRM_CASE, CANCELLED_INTAKE, CANCELLED_CASE, CANCEL_TOO_LATE, NOTHING_TO_CANCEL,
    HUMAN_REQUESTED, ATTACHED,
    NOTIFY_ASSIGNED, NOTIFY_VISITED, NOTIFY_CLOSED, RATING_INVALID, RATING_THANKS, COMMENT_THANKS;

    /** The answer to a menu button whose key is {@code key} (templates/wechat/menu.json), if there is one. */
    public static Optional<BotText> forMenuKey(String key) {
        return byKey("menu-" + key.toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    /** The text whose file is {@code key}.mustache. */
    public static Optional<BotText> byKey(String key) {
        return Arrays.stream(values()).filter(t -> t.key().equals(key)).findFirst();
    }
}
