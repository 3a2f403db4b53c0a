package cn.shegong.bot.dialogue;

import java.util.List;
import java.util.Optional;

import cn.shegong.core.outbox.OutboxItem;

/**
 * What to answer, and the case the exchange belongs to (so both messages are linked to it).
 *
 * @param more further messages sent right after the answer, each in a bubble of its own (an
 *             urgent answer's emergency numbers stand alone; what we ask next comes after)
 * @param menu tappable options for the question the answer asks, sent after it (inside WeChat's
 *             48-hour window; the typed answers keep working)
 */
public record Reply(String text, Optional<String> caseId, List<String> more, Optional<OutboxItem.Menu> menu) {

    public Reply {
        more = List.copyOf(more);
    }

    public static Reply of(String text) {
        return new Reply(text, Optional.empty(), List.of(), Optional.empty());
    }

    public static Reply about(String caseId, String text) {
        return new Reply(text, Optional.of(caseId), List.of(), Optional.empty());
    }

    public Reply withMenu(OutboxItem.Menu menu) {
        return new Reply(text, caseId, more, Optional.of(menu));
    }
}
