package cn.shegong.bot.dialogue;

import java.util.Optional;

import cn.shegong.bot.wechat.InboundMessage;
import cn.shegong.bot.wechat.InboundMessage.Image;
import cn.shegong.bot.wechat.InboundMessage.Link;
import cn.shegong.bot.wechat.InboundMessage.Location;
import cn.shegong.bot.wechat.InboundMessage.LocationReport;
import cn.shegong.bot.wechat.InboundMessage.MenuClick;
import cn.shegong.bot.wechat.InboundMessage.MenuView;
import cn.shegong.bot.wechat.InboundMessage.Scan;
import cn.shegong.bot.wechat.InboundMessage.Subscribe;
import cn.shegong.bot.wechat.InboundMessage.TemplateSendFinished;
import cn.shegong.bot.wechat.InboundMessage.Text;
import cn.shegong.bot.wechat.InboundMessage.Unknown;
import cn.shegong.bot.wechat.InboundMessage.Unsubscribe;
import cn.shegong.bot.wechat.InboundMessage.Video;
import cn.shegong.bot.wechat.InboundMessage.Voice;
import cn.shegong.core.text.Texts;

/**
 * Decides what to say to each kind of push, in one explicit switch. Text (and voice that WeChat
 * transcribed) gets the greeting until the intake conversation replaces it; following the account
 * gets the welcome; menu buttons get their answers; what needs no answer gets none.
 */
public final class Dialogue implements Conversation {

    private final Texts texts;

    public Dialogue(Texts texts) {
        this.texts = texts.require(BotText.values());
    }

    @Override
    public Optional<String> reply(InboundMessage message) {
        return switch (message) {
            case Text t -> say(BotText.GREETING);
            case Voice v -> say(v.recognition().isPresent() ? BotText.GREETING : BotText.VOICE_UNCLEAR);
            case Subscribe s -> say(BotText.WELCOME);
            case Scan s -> say(BotText.WELCOME);
            case MenuClick c -> say(BotText.forMenuKey(c.key()).orElse(BotText.GREETING));
            case Image i -> Optional.empty();
            case Video v -> Optional.empty();
            case Location l -> Optional.empty();
            case Link l -> Optional.empty();
            case Unsubscribe u -> Optional.empty();
            case LocationReport r -> Optional.empty();
            case MenuView v -> Optional.empty();
            case TemplateSendFinished f -> Optional.empty();
            case Unknown u -> Optional.empty();
        };
    }

    @Override
    public String busy() {
        return texts.render(BotText.BUSY);
    }

    private Optional<String> say(BotText key) {
        return Optional.of(texts.render(key));
    }
}
