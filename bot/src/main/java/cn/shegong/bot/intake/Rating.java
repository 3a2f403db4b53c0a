package cn.shegong.bot.intake;

import java.util.Optional;

import cn.shegong.bot.dialogue.BotText;
import cn.shegong.bot.dialogue.Effect;
import cn.shegong.bot.dialogue.Menus;
import cn.shegong.bot.dialogue.Reply;
import cn.shegong.bot.dialogue.Step;
import cn.shegong.bot.intake.IntakeState.Stage;
import cn.shegong.bot.intake.Vocabulary.Meaning;

/** After a case is closed: a rating from 1 to 5, then a comment (or none). */
final class Rating {

    private final IntakeKit kit;

    Rating(IntakeKit kit) {
        this.kit = kit;
    }

    /** Empty when the person moved on to something else: that is answered instead (and the rating dropped). */
    Optional<Step> rating(String openid, IntakeState s, String text) {
        String digits = Vocabulary.normalize(text);
        if (digits.length() == 1 && digits.charAt(0) >= '1' && digits.charAt(0) <= '5') {
            int stars = digits.charAt(0) - '0';
            s.stage = Stage.COMMENT;
            return Optional.of(Step.answer(Reply.about(s.caseId, kit.texts().render(BotText.RATING_THANKS))).with(
                    Effect.write("case.rate", () -> kit.cases().rate(s.caseId, stars, kit.now())), kit.save(openid, s)));
        }
        if (digits.length() > 6) {
            return Optional.empty();
        }
        return Optional.of(Step.answer(kit.ask(BotText.RATING_INVALID, java.util.Map.of(), Menus.Question.RATING)));
    }

    Step comment(String openid, IntakeState s, String text) {
        Step thanks = Step.answer(Reply.about(s.caseId, kit.texts().render(BotText.COMMENT_THANKS))).with(kit.clear(openid));
        return kit.words().is(text, Meaning.NO_COMMENT) ? thanks
                : thanks.first(Effect.write("case.comment", () -> kit.cases().comment(s.caseId, text, kit.now())));
    }
}
