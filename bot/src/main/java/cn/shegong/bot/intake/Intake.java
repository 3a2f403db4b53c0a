package cn.shegong.bot.intake;

import java.time.Instant;
import java.util.Optional;

import cn.shegong.bot.dialogue.BotText;
import cn.shegong.bot.dialogue.Menus;
import cn.shegong.bot.dialogue.Reply;
import cn.shegong.bot.dialogue.Step;
import cn.shegong.bot.intake.IntakeState.Stage;
import cn.shegong.bot.intake.Vocabulary.Meaning;
import cn.shegong.bot.triage.Triage;
import cn.shegong.bot.triage.TriageResult;
import cn.shegong.core.casework.Case;
import cn.shegong.core.casework.Category;

/**
 * The resident's side of a request for help, routed to its parts: consent first, triage, the
 * intake that asks only what is missing and opens a numbered case ({@link Collect}), urgent help
 * at once ({@link Urgent}), cancel ({@link Cancel}), rating ({@link Rating}), progress, a person
 * and attachments ({@link Aftercare}). Every part only decides; the caller applies the step.
 */
public final class Intake {

    /**
     * On a case a bound worker already has, a message only the model finds possibly urgent (no
     * safety rule) goes to that worker at once rather than raising an alarm (a resident saying
     * when they are at home is not an emergency). A rule, or a model at least this sure, still escalates.
     */
    static final double SURE_ON_WORKED_CASE = 0.5;

    private final IntakeKit kit;
    private final Collect collect;
    private final Urgent urgent;
    private final Consent consent;
    private final Cancel cancel;
    private final Rating rating;
    private final Aftercare aftercare;

    public Intake(IntakeKit kit) {
        this.kit = kit;
        this.collect = new Collect(kit);
        this.urgent = new Urgent(kit, collect);
        this.consent = new Consent(kit, collect, urgent);
        this.cancel = new Cancel(kit);
        this.rating = new Rating(kit);
        this.aftercare = new Aftercare(kit);
    }

    /**
     * A text (or transcribed voice) from {@code openid}, sent at {@code sentAt} (WeChat's CreateTime):
     * an intake that starts with it starts then, so this message is linked to the case too.
     */
    public Step onText(String openid, String text, Instant sentAt) {
        Instant started = sentAt.isBefore(kit.now()) ? sentAt : kit.now();
        return route(openid, kit.states().get(openid), text, started);
    }

    /**
     * A tapped menu option: the answer it stands for, if the conversation still asks that question;
     * a tap on an older menu is refused rather than read as an answer to something else.
     */
    public Step onTap(String openid, Menus.Tap tap, Instant sentAt) {
        Optional<IntakeState> saved = kit.states().get(openid);
        Menus.Question asked = saved.map(s -> switch (s.stage) {
            case CONSENT -> Menus.Question.CONSENT;
            case SUMMARY -> Menus.Question.SUMMARY;
            case CONFIRM_CANCEL -> Menus.Question.CANCEL;
            case RATING -> Menus.Question.RATING;
            case CHOOSE -> Menus.Question.CHOOSE;
            case COLLECT, COMMENT -> null;
        }).orElse(null);
        if (asked != tap.question()) {
            return Step.answer(kit.say(BotText.MENU_STALE));
        }
        return onText(openid, tap.answer(), sentAt);
    }

    /** A shared WeChat location: its label usually names the township. */
    public Optional<Step> onLocation(String openid, String label) {
        Optional<IntakeState> saved = kit.states().get(openid).filter(s -> s.stage == Stage.COLLECT || s.stage == Stage.SUMMARY);
        if (saved.isPresent()) {
            return Optional.of(collect.next(openid, saved.get(), label));
        }
        return aftercare.attachToOpenCase(openid, "location", Optional.empty());
    }

    /** A photo, a video or an untranscribed voice message: added to the open case, if there is one. */
    public Optional<Step> onMedia(String openid, String kind, Optional<String> mediaId) {
        if (kit.states().get(openid).map(IntakeState::inIntake).orElse(false)) {
            return Optional.empty(); // stored; linked to the case when it opens
        }
        return aftercare.attachToOpenCase(openid, kind, mediaId);
    }

    private Step route(String openid, Optional<IntakeState> saved, String text, Instant started) {
        if (saved.isPresent()) {
            IntakeState s = saved.get();
            switch (s.stage) {
                case CONFIRM_CANCEL -> {
                    if (kit.words().is(text, Meaning.CONFIRM)) {
                        return cancel.confirmed(openid, s);
                    }
                    Optional<IntakeState> back = cancel.resumed(s);
                    if (kit.words().is(text, Meaning.KEEP)) {
                        return cancel.kept(openid, back);
                    }
                    return route(openid, back, text, started).first(back.map(b -> kit.save(openid, b)).orElseGet(() -> kit.clear(openid)));
                }
                case RATING -> {
                    return rating.rating(openid, s, text).orElseGet(() -> route(openid, Optional.empty(), text, started).first(kit.clear(openid)));
                }
                case COMMENT -> {
                    return rating.comment(openid, s, text);
                }
                case CONSENT -> {
                    if (s.caseId != null && kit.words().is(text, Meaning.PROGRESS)) {
                        return aftercare.progress(openid); // a case opened at once (urgent); the question still waits
                    }
                    return consent.answer(openid, s, text, started, (o, t, at) -> request(o, t, at, () -> true));
                }
                default -> { }
            }
        }
        if (kit.words().is(text, Meaning.PROGRESS)) {
            return aftercare.progress(openid);
        }
        if (kit.words().is(text, Meaning.CANCEL)) {
            return cancel.ask(openid, saved);
        }
        if (kit.words().is(text, Meaning.HUMAN)) {
            return aftercare.person(openid, text, saved, started);
        }
        if (saved.isPresent() && saved.get().inIntake()) {
            return collect.next(openid, saved.get(), text);
        }
        if (kit.words().is(text, Meaning.GREETING)) {
            return Step.answer(kit.say(BotText.HELLO)); // a greeting deserves a greeting back
        }
        if (kit.words().is(text, Meaning.THANKS)) {
            return Step.answer(kit.say(BotText.YOU_ARE_WELCOME));
        }
        return consent.agreedEarlier(openid, text).orElseGet(() -> request(openid, text, started, () -> kit.consented(openid)));
    }

    /**
     * A message when no intake is in progress: urgent help, a policy answer, an addition to the open
     * case, or a new request. {@code consented} is asked only where a request is made (a policy
     * answer needs no read of it).
     */
    private Step request(String openid, String text, Instant started, java.util.function.BooleanSupplier consented) {
        Details details = Details.from(text, kit.areas(), kit.words());
        TriageResult t = kit.triage().classify(details.withoutContacts(text));
        if (t.urgent()) {
            Optional<Case> open = kit.cases().latestOpen(openid);
            if (open.isPresent() && kit.relay().reachesWorker(open.get()) && !t.urgentAtLeast(SURE_ON_WORKED_CASE)) {
                return aftercare.attach(open.get(), "text", Optional.of(text), true); // their worker reads it at once, flagged
            }
            return urgent.help(openid, text, t, consented.getAsBoolean(), started);
        }
        if (t.category() == Category.POLICY) {
            String answer = kit.words().faqAnswer(text).flatMap(BotText::byKey).map(kit.texts()::render).orElse("");
            return Step.answer(Reply.of((answer.isEmpty() ? "" : answer + "\n\n") + kit.texts().render(BotText.FAQ_OFFER)));
        }
        Optional<Case> open = kit.cases().latestOpen(openid);
        if (open.isPresent()) {
            return aftercare.attach(open.get(), "text", Optional.of(text));
        }
        if (t.category() == Category.OTHER && t.confidence() >= Triage.CONFIDENT) {
            return Step.answer(kit.say(BotText.OTHER_CATEGORY));
        }
        return collect.start(openid, text, details, t, consented.getAsBoolean(), started);
    }
}
