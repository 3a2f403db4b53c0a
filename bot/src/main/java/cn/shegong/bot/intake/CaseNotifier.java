package cn.shegong.bot.intake;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import cn.shegong.bot.dialogue.BotText;
import cn.shegong.bot.outbound.Outbox;
import cn.shegong.bot.outbound.TemplateBindings;
import cn.shegong.core.casework.Case;
import cn.shegong.core.casework.CaseEvents;
import cn.shegong.core.message.MessageStore;
import cn.shegong.core.message.StoredMessage;
import cn.shegong.core.text.Texts;

/**
 * Tells a resident what happened to their case — assigned, visited, closed — as a chat message
 * inside WeChat's 48-hour window, else as the case_update template message. On closure the
 * conversation waits for a 1–5 rating and a comment.
 */
public final class CaseNotifier implements CaseEvents {

    public static final String CASE_UPDATE = "case_update";

    private final Outbox outbox;
    private final MessageStore messages;
    private final Texts texts;
    private final Vocabulary words;
    private final ConversationStore states;
    private final Clock clock;

    public CaseNotifier(Outbox outbox, MessageStore messages, Texts texts, Vocabulary words, ConversationStore states,
                        Clock clock) {
        this.outbox = outbox;
        this.messages = messages;
        this.texts = texts;
        this.words = words;
        this.states = states;
        this.clock = clock;
    }

    @Override
    public void assigned(Case c, String stationName) {
        send(c, texts.render(BotText.NOTIFY_ASSIGNED, Map.of("number", c.number(), "station", stationName)), Case.Status.ASSIGNED);
    }

    @Override
    public void visited(Case c) {
        send(c, texts.render(BotText.NOTIFY_VISITED, Map.of("number", c.number())), Case.Status.IN_PROGRESS);
    }

    /** Also sets the resident's conversation to wait for a rating. */
    @Override
    public void closed(Case c, String summary) {
        IntakeState rating = new IntakeState();
        rating.stage = IntakeState.Stage.RATING;
        rating.caseId = c.id();
        states.put(c.openid(), rating);
        Map<String, Object> values = new HashMap<>(Map.of("number", c.number()));
        if (!summary.isBlank()) {
            values.put("summary", summary);
        }
        send(c, texts.render(BotText.NOTIFY_CLOSED, values), Case.Status.CLOSED);
    }

    @Override
    public void contactLate(Case c, String stationPhone) {
        Map<String, Object> values = new HashMap<>(Map.of("number", c.number(), "station", c.township().map(t -> t.name()).orElse("")));
        if (!stationPhone.isBlank()) {
            values.put("phone", stationPhone);
        }
        send(c, texts.render(BotText.NOTIFY_CONTACT_LATE, values), c.status());
    }

    @Override
    public void message(Case c, String text) {
        java.time.Instant now = clock.instant();
        outbox.sendText(c.openid(), text);
        messages.insertLinked(new StoredMessage(c.openid(), StoredMessage.Direction.OUT, "text", text, java.util.Optional.empty(),
                Map.of(), now, now), c.id());
    }

    private void send(Case c, String text, Case.Status status) {
        Map<String, String> values = new HashMap<>(TemplateBindings.timeValues(clock.instant()));
        values.put("number", c.number());
        values.put("status", words.label(status));
        outbox.sendText(c.openid(), text, CASE_UPDATE, values);
    }
}
