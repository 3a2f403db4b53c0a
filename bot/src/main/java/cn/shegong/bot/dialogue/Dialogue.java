package cn.shegong.bot.dialogue;

import java.util.Optional;

import cn.shegong.bot.intake.Intake;
import cn.shegong.bot.worker.WorkerDialogue;
import cn.shegong.core.staff.Worker;
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
 * Decides what to say to each kind of push, by sender first: a binding code from anyone, then a
 * bound worker's messages to the worker dialogue, everyone else's to the resident intake, in one
 * explicit switch each. Text (and voice WeChat
 * transcribed) goes to the intake; a location helps it place the person; photos and untranscribed
 * voice join the open case; following the account gets the welcome; menu buttons get their
 * answers; what needs no answer gets none.
 */
public final class Dialogue implements Conversation {

    private final Texts texts;
    private final Intake intake;
    private final WorkerDialogue workers;
    private final Applier applier = new Applier();

    public Dialogue(Texts texts, Intake intake, WorkerDialogue workers) {
        this.texts = texts.require(BotText.values());
        this.intake = intake;
        this.workers = workers;
    }

    @Override
    public Optional<Reply> reply(InboundMessage message) {
        return decide(message).map(applier::apply);
    }

    private Optional<Step> decide(InboundMessage message) {
        String openid = message.envelope().openid();
        Optional<Step> binding = switch (message) {
            case Text t -> workers.bindCommand(openid, t.content());
            case Scan s -> workers.scanned(openid, s.scene());
            case Subscribe s -> s.scene().flatMap(scene -> workers.scanned(openid, scene));
            default -> Optional.empty();
        };
        if (binding.isPresent()) {
            return binding;
        }
        Optional<Worker> worker = message instanceof InboundMessage.Ordinary ? workers.worker(openid) : Optional.empty();
        return worker.isPresent() ? worker(worker.get(), message) : resident(message);
    }

    /** A bound worker's message: commands and visit notes (and, with 求助, a request of their own). */
    private Optional<Step> worker(Worker w, InboundMessage message) {
        String openid = message.envelope().openid();
        return switch (message) {
            case Text t -> t.content().isBlank() ? Optional.empty() : Optional.of(tap(t)
                    .map(tap -> intake.onTap(openid, tap, sent(t))).orElseGet(() -> workers.onText(w, openid, t.content(), sent(t))));
            case Voice v -> Optional.of(workers.onVoice(w, openid, v.mediaId(), v.recognition(), sent(v)));
            case Image i -> Optional.of(workers.onMedia(w, openid, "image", i.mediaId(), Optional.empty()));
            case Video v -> Optional.of(workers.onMedia(w, openid, "video", v.mediaId(), Optional.empty()));
            case Location l -> Optional.of(workers.onLocation(w, openid, l.label()));
            default -> Optional.empty();
        };
    }

    private Optional<Step> resident(InboundMessage message) {
        String openid = message.envelope().openid();
        return switch (message) {
            case Text t -> t.content().isBlank() ? Optional.empty() : Optional.of(tap(t)
                    .map(tap -> intake.onTap(openid, tap, sent(t))).orElseGet(() -> intake.onText(openid, t.content(), sent(t))));
            case Voice v -> v.recognition().isPresent() ? Optional.of(intake.onText(openid, v.recognition().get(), sent(v)))
                    : intake.onMedia(openid, "voice", Optional.of(v.mediaId())).or(() -> say(BotText.VOICE_UNCLEAR));
            case Location l -> intake.onLocation(openid, l.label());
            case Image i -> intake.onMedia(openid, "image", Optional.of(i.mediaId()));
            case Video v -> intake.onMedia(openid, "video", Optional.of(v.mediaId()));
            case Subscribe s -> say(BotText.WELCOME);
            case Scan s -> say(BotText.WELCOME);
            case MenuClick c -> say(BotText.forMenuKey(c.key()).orElse(BotText.GREETING));
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

    @Override
    public String tooFast() {
        return texts.render(BotText.TOO_FAST);
    }

    /** A tap on one of our menu options (WeChat adds the option's id to the text it sends). */
    private static Optional<Menus.Tap> tap(Text t) {
        return Menus.Tap.of(t.fields().getOrDefault("bizmsgmenuid", ""));
    }

    private static java.time.Instant sent(InboundMessage m) {
        return m.envelope().createTime();
    }

    private Optional<Step> say(BotText key) {
        return Optional.of(Step.answer(Reply.of(texts.render(key))));
    }
}
