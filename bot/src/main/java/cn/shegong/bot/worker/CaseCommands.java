package cn.shegong.bot.worker;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import cn.shegong.bot.dialogue.BotText;
import cn.shegong.bot.dialogue.Effect;
import cn.shegong.bot.dialogue.Reply;
import cn.shegong.bot.dialogue.Step;
import cn.shegong.core.casework.Case;
import cn.shegong.core.message.StoredMessage;
import cn.shegong.core.staff.Worker;

/**
 * What a worker does to a case from their phone: list, look, accept, send back, record the first
 * contact, close, and write to the resident. Each change is made from the version the worker's
 * message saw; if the console changed the case first, the worker is told and nothing changes.
 */
final class CaseCommands {

    private final WorkerKit kit;
    private final Mine mine;

    CaseCommands(WorkerKit kit, Mine mine) {
        this.kit = kit;
        this.mine = mine;
    }

    Step tasks(Worker w, List<Map<String, Object>> visits) {
        List<Case> tasks = mine.tasks(w);
        if (tasks.isEmpty() && visits.isEmpty()) {
            return Step.answer(kit.say(BotText.WORKER_NO_TASKS));
        }
        Map<String, Long> seen = tasks.stream().collect(java.util.stream.Collectors.groupingBy(Case::shortCode, java.util.stream.Collectors.counting()));
        // a short code two cases share (from different days) is shown as the full number, which always works
        List<Map<String, Object>> rows = tasks.stream().map(c -> Map.<String, Object>of("code",
                seen.get(c.shortCode()) > 1 ? c.number() : c.shortCode(), "urgent", c.urgent(),
                "label", kit.words().label(c.category()), "status", kit.words().label(c.status()),
                "mine", c.assigneeId().isPresent(), "place", c.township().map(t -> t.name()).orElse(""))).toList();
        return Step.answer(kit.say(BotText.WORKER_TASKS, Map.of("cases", rows, "visits", visits, "hasVisits", !visits.isEmpty())));
    }

    Step details(Worker w, Case c) {
        List<StoredMessage> transcript = kit.messages().forCase(c.id());
        List<Map<String, Object>> last = transcript.subList(Math.max(0, transcript.size() - 5), transcript.size()).stream()
                .map(m -> Map.<String, Object>of("resident", m.direction() == StoredMessage.Direction.IN, "text", m.content())).toList();
        Map<String, Object> v = values(c);
        v.put("name", c.name().orElse("-"));
        v.put("phone", c.phone().orElse("-"));
        v.put("description", c.description());
        v.put("messages", last);
        v.put("hasMessages", !last.isEmpty());
        return Step.answer(Reply.of(kit.texts().render(BotText.WORKER_DETAILS, v)))
                .with(audit(w, "worker_view_case", c));
    }

    Step accept(Worker w, Case c) {
        if (c.status() == Case.Status.IN_PROGRESS && c.assigneeId().filter(w.id()::equals).isPresent()) {
            return Step.answer(kit.say(BotText.WORKER_ACCEPTED, values(c)));
        }
        Step step = Step.answer(kit.say(BotText.WORKER_ACCEPTED, values(c)))
                .with(Effect.guarded("case.accept", () -> kit.cases().forWorkers().accept(c.id(), c.version(), w.id(), w.name(), w.stationCode(), kit.now())),
                        audit(w, "worker_accept", c));
        return (c.status() == Case.Status.NEW ? step.with(Effect.send("notify.resident",
                () -> kit.residentEvents().assigned(c, c.township().map(t -> t.name()).orElse("")))) : step).orIfLost(changed(c));
    }

    Step sendBack(Worker w, Case c, String reason) {
        if (reason.isBlank()) {
            return Step.answer(kit.say(BotText.WORKER_NEED_REASON, values(c)));
        }
        return Step.answer(kit.say(BotText.WORKER_SENT_BACK, values(c)))
                .with(Effect.guarded("case.send_back", () -> kit.cases().forWorkers().sendBack(c.id(), c.version(), w.name(), kit.now())),
                        Effect.write("case.note", () -> kit.cases().addNote(c.id(), w.name(), reason, kit.now())),
                        Effect.write("deadlines.wake", () -> kit.deadlines().wake(c.id())), // back in the inbox: assigning it is due again
                        audit(w, "worker_send_back", c))
                .orIfLost(changed(c));
    }

    Step contact(Worker w, Case c) {
        return Step.answer(kit.say(BotText.WORKER_CONTACTED, values(c)))
                .with(Effect.write("case.contact", () -> kit.cases().forWorkers().recordContact(c.id(), w.name(), kit.now())), audit(w, "worker_contact", c));
    }

    Step close(Worker w, Case c, String result) {
        if (result.isBlank()) {
            return Step.answer(kit.say(BotText.WORKER_NEED_RESULT, values(c)));
        }
        if (!c.status().isOpen()) {
            return Step.answer(changed(c).get());
        }
        return Step.answer(kit.say(BotText.WORKER_CLOSED, values(c)))
                .with(Effect.guarded("case.close", () -> kit.cases().changeStatus(c.id(), c.version(), Case.Status.CLOSED, "closed", w.name(), kit.now())),
                        Effect.write("case.note", () -> kit.cases().addNote(c.id(), w.name(), result, kit.now())),
                        audit(w, "worker_close", c),
                        Effect.send("notify.resident", () -> kit.residentEvents().closed(c, result)))
                .orIfLost(changed(c));
    }

    Step relay(Worker w, Case c, String text) {
        if (text.isBlank()) {
            return Step.answer(kit.say(BotText.WORKER_NEED_TEXT, values(c)));
        }
        boolean window = kit.residents().find(c.openid()).map(r -> r.windowOpen(kit.now())).orElse(false);
        return Step.answer(kit.say(window ? BotText.WORKER_RELAYED : BotText.WORKER_RELAYED_CARD, values(c)))
                .with(audit(w, "message_resident", c),
                        Effect.send("relay.resident", () -> kit.residentEvents().message(c, text)));
    }

    /** Who did what to which case, from WeChat: the same audit log as the console's. */
    Effect audit(Worker w, String action, Case c) {
        return Effect.write("audit", () -> kit.audit().record(kit.now(), w.name(), action, c.number(), "wechat"));
    }

    /** The answer when someone else changed the case first: what it is now. */
    private Supplier<Reply> changed(Case c) {
        return () -> {
            Case now = kit.cases().find(c.id()).orElse(c);
            return kit.say(BotText.WORKER_CHANGED, values(now));
        };
    }

    Map<String, Object> values(Case c) {
        Map<String, Object> v = new HashMap<>();
        v.put("number", c.number());
        v.put("code", c.shortCode());
        v.put("label", kit.words().label(c.category()));
        v.put("status", kit.words().label(c.status()));
        v.put("urgent", c.urgent());
        v.put("place", c.township().map(t -> t.county() + t.name()).orElse("-"));
        return v;
    }
}
