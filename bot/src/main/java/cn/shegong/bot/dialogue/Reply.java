package cn.shegong.bot.dialogue;

import java.util.Optional;

/** What to answer, and the case the exchange belongs to (so both messages are linked to it). */
public record Reply(String text, Optional<String> caseId) {

    public static Reply of(String text) {
        return new Reply(text, Optional.empty());
    }

    public static Reply about(String caseId, String text) {
        return new Reply(text, Optional.of(caseId));
    }
}
