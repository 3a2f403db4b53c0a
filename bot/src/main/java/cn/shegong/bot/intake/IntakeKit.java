package cn.shegong.bot.intake;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import cn.shegong.bot.dialogue.BotText;
import cn.shegong.bot.dialogue.Effect;
import cn.shegong.bot.dialogue.Menus;
import cn.shegong.bot.dialogue.Reply;
import cn.shegong.bot.triage.Triage;
import cn.shegong.core.casework.Areas;
import cn.shegong.core.casework.Case;
import cn.shegong.core.casework.CaseStore;
import cn.shegong.core.households.Monitoring;
import cn.shegong.core.media.MediaStore;
import cn.shegong.core.message.MessageStore;
import cn.shegong.core.resident.Resident;
import cn.shegong.core.resident.ResidentStore;
import cn.shegong.core.text.Texts;

/**
 * What the parts of the resident intake share: the stores they read (and name in their effects),
 * the texts they answer with, and the clock. Wired once in {@code Shegong}.
 */
public record IntakeKit(Triage triage, Vocabulary words, Texts texts, Areas areas, CaseStore cases, ResidentStore residents,
                        MessageStore messages, MediaStore media, Monitoring monitoring, Alerts alerts, ConversationStore states, CaseRelay relay,
                        Menus menus, CaseOpened opened, Clock clock) {

    /** A request was opened: it is held to its deadlines and routed at once (the routing sweep, wired in Shegong). */
    public interface CaseOpened {
        void opened(String caseId);

        CaseOpened NONE = id -> { };
    }


    Reply say(BotText key) {
        return Reply.of(texts.render(key));
    }

    Reply say(BotText key, Map<String, Object> values) {
        return Reply.of(texts.render(key, values));
    }

    /** The text for {@code key} with the tappable options for {@code question}. */
    Reply ask(BotText key, Map<String, Object> values, Menus.Question question) {
        return say(key, values).withMenu(menus.get(question));
    }

    Instant now() {
        return clock.instant();
    }

    Effect save(String openid, IntakeState s) {
        return Effect.write("state.save", () -> states.put(openid, s));
    }

    Effect clear(String openid) {
        return Effect.write("state.clear", () -> states.clear(openid));
    }

    /**
     * Opens the case and links to it the person's messages since {@code since}; a risk signal of
     * hardship in what they wrote (动态监测) opens a review item on the request.
     */
    Opening openCase(String id, CaseStore.NewCase request, Instant since) {
        AtomicReference<Case> created = new AtomicReference<>();
        Effect open = Effect.write("case.open", () -> {
            Case c = cases.create(id, request, now());
            created.set(c);
            residents.linkRecent(request.openid(), since, ids -> messages.link(ids, id));
            monitoring.check(Monitoring.Subject.request(id, c.number()), request.township().map(Areas.Township::code).orElse(""),
                    "message", request.description(), now());
            opened.opened(id);
        });
        return new Opening(open, () -> Objects.requireNonNull(created.get(), "a reply read its request before the request was opened"));
    }

    /** The write that opens a request, and the request as it opened it, for the reply (its number) without reading it back. */
    record Opening(Effect effect, Supplier<Case> opened) {
    }

    Optional<Areas.Township> township(IntakeState s) {
        return Optional.ofNullable(s.townshipCode).flatMap(areas::byCode);
    }

    /** A station's QR code the person followed through: {@code station:<township code>}. */
    Optional<Areas.Township> sceneTownship(String openid) {
        return residents.find(openid).flatMap(Resident::scene).filter(sc -> sc.startsWith("station:"))
                .flatMap(sc -> areas.byCode(sc.substring("station:".length())));
    }

    boolean consented(String openid) {
        return residents.consent(openid).orElse(false);
    }
}
