package cn.shegong.bot.dialogue;

import java.util.List;
import java.util.Optional;

/**
 * What to answer, and the case the exchange belongs to (so both messages are linked to it).
 *
 * @param more further messages sent right after the answer, each in a bubble of its own (an
 *             urgent answer's emergency numbers stand alone; what we ask next comes after)
 */
public record Reply(String text, Optional<String> caseId, List<String> more) {

    public Reply {
        more = List.copyOf(more);
    }

    public static Reply of(String text) {
        return new Reply(text, Optional.empty(), List.of());
    }

    public static Reply about(String caseId, String text) {
        return new Reply(text, Optional.of(caseId), List.of());
    }
}
