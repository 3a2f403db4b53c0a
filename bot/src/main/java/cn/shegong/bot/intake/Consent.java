package cn.shegong.bot.intake;

import java.time.Instant;
import java.util.Optional;

import cn.shegong.bot.dialogue.BotText;
import cn.shegong.bot.dialogue.Effect;
import cn.shegong.bot.dialogue.Step;
import cn.shegong.bot.intake.IntakeState.Stage;
import cn.shegong.bot.intake.Vocabulary.Meaning;
import cn.shegong.bot.triage.TriageResult;

/**
 * The privacy notice is answered before anything personal is kept: agreeing continues the
 * request the person began with; refusing is respected; a danger written instead is still
 * answered at once.
 */
final class Consent {

    /** What to do with the request the person began with, once they agreed. */
    interface Resume {
        Step request(String openid, String text, Instant started);
    }

    private final IntakeKit kit;
    private final Collect collect;
    private final Urgent urgent;

    Consent(IntakeKit kit, Collect collect, Urgent urgent) {
        this.kit = kit;
        this.collect = collect;
        this.urgent = urgent;
    }

    /** An answer while the notice is waiting for one. */
    Step answer(String openid, IntakeState s, String text, Instant started, Resume resume) {
        if (kit.words().is(text, Meaning.AGREE)) {
            Effect agreed = record(openid, true);
            if (s.caseId != null) {
                s.stage = Stage.COLLECT;
                return collect.askOrFinish(openid, s).first(agreed);
            }
            if (s.description == null) {
                return Step.answer(kit.say(BotText.MENU_HELP)).with(agreed, kit.clear(openid));
            }
            return resume.request(openid, s.description, Instant.ofEpochMilli(s.startedAtMillis)).first(kit.clear(openid)).first(agreed);
        }
        if (kit.words().is(text, Meaning.REFUSE)) {
            return Step.answer(kit.say(BotText.CONSENT_REFUSED)).with(record(openid, false), kit.clear(openid));
        }
        TriageResult t = kit.triage().classify(text);
        if (t.urgent()) {
            return urgent.help(openid, text, t, false, started);
        }
        return Step.answer(kit.say(BotText.CONSENT_REMINDER));
    }

    /** Agreement outside an intake: agreeing to the notice of the welcome message or an earlier chat. */
    Optional<Step> agreedEarlier(String openid, String text) {
        if (kit.words().is(text, Meaning.AGREE) && !kit.consented(openid)) {
            return Optional.of(Step.answer(kit.say(BotText.MENU_HELP)).with(record(openid, true)));
        }
        return Optional.empty();
    }

    private Effect record(String openid, boolean agreed) {
        return Effect.write("resident.consent", () -> kit.residents().recordConsent(openid, agreed, kit.now()));
    }
}
