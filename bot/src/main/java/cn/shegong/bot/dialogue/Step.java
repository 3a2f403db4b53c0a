package cn.shegong.bot.dialogue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a dialogue step decided: its effects, the answer once they are applied, and the answer
 * when one of them lost a race with someone else's change (then nothing after it was done, and
 * the person is told the truth instead of what they asked for).
 */
public record Step(List<Effect> effects, Supplier<Reply> reply, Supplier<Reply> ifLost) {

    public Step {
        effects = List.copyOf(effects);
    }

    /** Just an answer. */
    public static Step answer(Reply reply) {
        return new Step(List.of(), () -> reply, () -> reply);
    }

    /** An answer once the effects are done (rendered after them, so it can show what they made). */
    public static Step after(Supplier<Reply> reply, Effect... effects) {
        return new Step(Arrays.asList(effects), reply, reply);
    }

    /** Answers {@code ifLost} instead when a guarded effect loses its race. */
    public Step orIfLost(Supplier<Reply> lost) {
        return new Step(effects, reply, lost);
    }

    /** The same step with more effects after its own. */
    public Step with(Effect... more) {
        List<Effect> all = new ArrayList<>(effects);
        all.addAll(Arrays.asList(more));
        return new Step(all, reply, ifLost);
    }

    /** The same step with an effect before its own (e.g. a state restored before the step that continues from it). */
    public Step first(Effect effect) {
        List<Effect> all = new ArrayList<>(List.of(effect));
        all.addAll(effects);
        return new Step(all, reply, ifLost);
    }
}
