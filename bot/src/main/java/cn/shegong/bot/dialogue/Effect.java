package cn.shegong.bot.dialogue;

import java.util.function.BooleanSupplier;

/**
 * One thing a dialogue step wants done — store this, change that case from the version it saw,
 * set the conversation's state, send someone a message. Steps only decide; the {@link Applier}
 * runs their effects, writes first and sends last.
 *
 * @param name   what it does, for logs and tests ("case.open", "state.save", "send.alert")
 * @param action does it; false when an optimistic lock was lost and nothing was written
 */
public record Effect(String name, Phase phase, BooleanSupplier action) {

    public enum Phase { WRITE, SEND }

    /** A write that always applies. */
    public static Effect write(String name, Runnable action) {
        return new Effect(name, Phase.WRITE, () -> {
            action.run();
            return true;
        });
    }

    /** A write made from a version the step saw: false means someone else changed it first. */
    public static Effect guarded(String name, BooleanSupplier action) {
        return new Effect(name, Phase.WRITE, action);
    }

    /** A message to someone other than the sender (through the outbox), run after every write. */
    public static Effect send(String name, Runnable action) {
        return new Effect(name, Phase.SEND, () -> {
            action.run();
            return true;
        });
    }
}
