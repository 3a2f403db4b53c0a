package cn.shegong.bot.intake;

import java.util.Map;
import java.util.Optional;

import cn.shegong.bot.dialogue.BotText;
import cn.shegong.bot.dialogue.Effect;
import cn.shegong.bot.dialogue.Menus;
import cn.shegong.bot.dialogue.Reply;
import cn.shegong.bot.dialogue.Step;
import cn.shegong.bot.intake.IntakeState.Stage;
import cn.shegong.core.casework.Case;

/**
 * Cancelling is confirmed first: an intake in progress, or the person's open case. If staff
 * changed the case in between (closed it, say), the person is told it was not cancelled.
 */
final class Cancel {

    private final IntakeKit kit;

    Cancel(IntakeKit kit) {
        this.kit = kit;
    }

    Step ask(String openid, Optional<IntakeState> saved) {
        if (saved.isPresent() && saved.get().inIntake() && saved.get().caseId == null) {
            IntakeState s = saved.get();
            s.resumeStage = s.stage;
            s.stage = Stage.CONFIRM_CANCEL;
            return Step.answer(kit.ask(BotText.CANCEL_CONFIRM_INTAKE, Map.of(), Menus.Question.CANCEL)).with(kit.save(openid, s));
        }
        Optional<Case> open = kit.cases().latestOpen(openid);
        if (open.isEmpty()) {
            return Step.answer(kit.say(BotText.NOTHING_TO_CANCEL));
        }
        IntakeState s = saved.orElseGet(IntakeState::new);
        s.resumeStage = saved.map(x -> x.stage).orElse(null);
        s.stage = Stage.CONFIRM_CANCEL;
        s.caseId = open.get().id();
        s.caseVersion = open.get().version();
        return Step.answer(Reply.about(open.get().id(), kit.texts().render(BotText.CANCEL_CONFIRM_CASE,
                Map.of("number", open.get().number()))).withMenu(kit.menus().get(Menus.Question.CANCEL))).with(kit.save(openid, s));
    }

    /** The person confirmed. */
    Step confirmed(String openid, IntakeState s) {
        if (s.caseId == null) {
            return Step.answer(kit.say(BotText.CANCELLED_INTAKE)).with(kit.clear(openid));
        }
        Case c = kit.cases().find(s.caseId).orElseThrow();
        int seen = s.caseVersion == null ? c.version() : s.caseVersion;
        Optional<IntakeState> before = resumed(s);
        return Step.answer(Reply.about(c.id(), kit.texts().render(BotText.CANCELLED_CASE, Map.of("number", c.number()))))
                .with(before.map(b -> kit.save(openid, b)).orElseGet(() -> kit.clear(openid)), // kept if the cancel loses
                        Effect.guarded("case.cancel", () -> kit.cases().changeStatus(c.id(), seen,
                        Case.Status.CANCELLED, "cancelled_by_resident", "", kit.now())), kit.clear(openid))
                .orIfLost(() -> Reply.about(c.id(), kit.texts().render(BotText.CANCEL_TOO_LATE, Map.of("number", c.number(),
                        "status", kit.words().label(kit.cases().find(c.id()).orElseThrow().status())))));
    }

    /** The person chose to keep it: nothing is cancelled and the conversation goes back to where it was. */
    Step kept(String openid, Optional<IntakeState> back) {
        return Step.answer(kit.say(BotText.CANCEL_KEPT)).with(back.map(s -> kit.save(openid, s)).orElseGet(() -> kit.clear(openid)));
    }

    /** Not confirmed: the conversation goes back to where it was (empty: it was nowhere). A copy: the saved one is not changed. */
    Optional<IntakeState> resumed(IntakeState s) {
        IntakeState back = s.copy();
        back.stage = s.resumeStage;
        back.resumeStage = null;
        return Optional.ofNullable(back.stage).map(x -> back);
    }
}
