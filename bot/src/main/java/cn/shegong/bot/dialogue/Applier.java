package cn.shegong.bot.dialogue;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Runs a step's effects in a fixed order — every write in the order decided, then every send —
 * and picks its answer. A write that lost an optimistic-lock race stops the step there: nothing
 * after it is done and the step's {@code ifLost} answer is given, so nobody is told that
 * something happened when it did not. A send that fails is logged and the rest go on: the answer
 * (say, the emergency numbers) is given whatever happened to a message for someone else.
 */
public final class Applier {

    private static final Logger LOG = System.getLogger(Applier.class.getName());

    public Reply apply(Step step) {
        for (Effect e : step.effects()) {
            if (e.phase() == Effect.Phase.WRITE) {
                if (!e.action().getAsBoolean()) {
                    LOG.log(Level.DEBUG, "lost a race at {0}; the rest of the step is not applied", e.name());
                    return step.ifLost().get();
                }
            }
        }
        for (Effect e : step.effects()) {
            if (e.phase() == Effect.Phase.SEND) {
                try {
                    e.action().getAsBoolean();
                } catch (RuntimeException failed) { // what was written stands, and the person still gets the answer
                    LOG.log(Level.WARNING, "a send after a dialogue step failed: " + e.name() + ": " + failed.getClass().getName());
                }
            }
        }
        return step.reply().get();
    }
}
