package cn.shegong.bot.intake;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.bot.dialogue.BotText;
import cn.shegong.bot.dialogue.Effect;
import cn.shegong.bot.dialogue.Menus;
import cn.shegong.bot.dialogue.Reply;
import cn.shegong.bot.dialogue.Step;
import cn.shegong.bot.intake.IntakeState.Stage;
import cn.shegong.bot.triage.TriageResult;
import cn.shegong.core.casework.Areas;
import cn.shegong.core.casework.Case;
import cn.shegong.core.casework.CaseStore;
import cn.shegong.core.casework.Category;

/**
 * A person in danger: the emergency numbers come first and alone in their own message; the case
 * opens at once with what we have and the on-duty staff are told; only then, in a second message,
 * are the privacy notice or the missing details asked for. One person, one case: on an open case
 * the case becomes urgent instead.
 */
final class Urgent {

    private final IntakeKit kit;
    private final Collect collect;

    Urgent(IntakeKit kit, Collect collect) {
        this.kit = kit;
        this.collect = collect;
    }

    Step help(String openid, String text, TriageResult t, boolean consented, Instant started) {
        Optional<Case> open = kit.cases().latestOpen(openid);
        if (open.isPresent()) {
            Case c = open.get();
            return Step.after(() -> Reply.about(c.id(), numbers(c.number(), t.category() == Category.MENTAL)),
                    Effect.write("case.escalate", () -> kit.cases().escalate(c.id(), kit.now())),
                    Effect.send("alert.urgent", () -> kit.alerts().urgent(c, kit.words().label(c.category()))),
                    Effect.send("relay.worker", () -> kit.relay().fromResident(c, "text", Optional.of(text), true)));
        }
        Details d = Details.from(text, kit.areas(), kit.words());
        Optional<Areas.Township> township = d.township().or(() -> kit.sceneTownship(openid));
        Category category = t.category().isHelpRequest() ? t.category() : Category.LINSHI;
        String id = CaseStore.newId();
        CaseStore.NewCase request = new CaseStore.NewCase(openid, category, true, township,
                consented ? d.name() : Optional.empty(), consented ? d.phone() : Optional.empty(), text, false);
        IntakeState s = new IntakeState();
        s.caseId = id;
        s.category = category.code();
        s.urgent = true;
        s.description = text;
        s.townshipCode = township.map(Areas.Township::code).orElse(null);
        s.phone = request.phone().orElse(null);
        s.name = request.name().orElse(null);
        s.startedAtMillis = started.toEpochMilli();
        s.stage = consented ? Stage.COLLECT : Stage.CONSENT;
        List<String> missing = consented ? collect.missing(s) : List.of();
        IntakeKit.Opening opening = kit.openCase(id, request, started);
        return Step.after(() -> {
            Case c = opening.opened().get();
            String then = consented ? (missing.isEmpty() ? "" : kit.texts().render(BotText.URGENT_ASK, Map.of("ask", String.join("、", missing))))
                    : kit.texts().render(BotText.PRIVACY_NOTICE);
            Reply reply = new Reply(numbers(c.number(), category == Category.MENTAL), Optional.of(c.id()),
                    then.isEmpty() ? List.of() : List.of(then), Optional.empty());
            return consented ? reply : reply.withMenu(kit.menus().get(Menus.Question.CONSENT));
        }, opening.effect(), kit.save(openid, s),
                // read as it is now, not as opened: routing may have assigned it meanwhile, and its worker is told first
                Effect.send("alert.urgent", () -> kit.cases().find(id).ifPresent(c -> kit.alerts().urgent(c, kit.words().label(category)))));
    }

    private String numbers(String number, boolean mental) {
        return kit.texts().render(BotText.URGENT, Map.of("number", number, "mental", mental));
    }
}
