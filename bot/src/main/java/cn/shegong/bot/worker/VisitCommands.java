package cn.shegong.bot.worker;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.bot.dialogue.BotText;
import cn.shegong.bot.dialogue.Effect;
import cn.shegong.bot.dialogue.Step;
import cn.shegong.core.households.Household;
import cn.shegong.core.households.Visit;
import cn.shegong.core.staff.Worker;

/**
 * Home visits from a worker's phone: the due ones in 任务, a household's details by visit code,
 * and a visit recorded by reply (the note command with the visit code), which schedules the next one.
 */
final class VisitCommands {

    private static final ZoneId BAOSHAN = ZoneId.of("Asia/Shanghai");
    /** A visit code as a worker types it: V and five digits (more past 99,999 visits). */
    static final java.util.regex.Pattern CODE = java.util.regex.Pattern.compile("V\\d{5,7}");

    private final WorkerKit kit;

    VisitCommands(WorkerKit kit) {
        this.kit = kit;
    }

    /** The worker's open visits due within a week, soonest first, for 任务. */
    List<Map<String, Object>> tasks(Worker w) {
        LocalDate today = today();
        return kit.visits().openFor(w.id()).stream().filter(v -> !v.due().isAfter(today.plusDays(7))).limit(20).map(v -> {
            Map<String, Object> row = new HashMap<>(Map.of("code", v.code(), "dueMonth", v.due().getMonthValue(),
                    "dueDay", v.due().getDayOfMonth(), "overdue", v.overdueDays(today) > 0, "days", v.overdueDays(today)));
            kit.households().find(v.householdId()).ifPresent(h -> {
                row.put("name", h.maskedName());
                row.put("category", h.categories().keySet().stream().findFirst().map(kit.categories()::label).orElse(""));
            });
            return row;
        }).toList();
    }

    Optional<Visit> find(String code) {
        return kit.visits().find(code);
    }

    /** The responsible worker, or the head of the visit's station. */
    boolean mayRecord(Worker w, Visit v) {
        return v.workerId().filter(w.id()::equals).isPresent() || (w.role() == Worker.Role.HEAD && w.stationCode().equals(v.stationCode()));
    }

    Step details(Worker w, Visit v) {
        Household h = kit.households().find(v.householdId()).orElseThrow();
        Map<String, Object> values = values(v, h);
        values.put("name", h.head().name());
        values.put("phone", h.head().phone().orElse("-"));
        values.put("address", h.address());
        values.put("plan", h.plan().isBlank() ? "-" : h.plan());
        values.put("rule", v.rule());
        return Step.answer(kit.say(BotText.WORKER_VISIT_DETAILS, values))
                .with(Effect.write("audit", () -> kit.audit().record(kit.now(), w.name(), "worker_view_household", v.code(), "wechat")));
    }

    Step record(Worker w, Visit v, String note) {
        Household h = kit.households().find(v.householdId()).orElseThrow();
        Map<String, Object> values = values(v, h);
        return Step.after(() -> {
            Map<String, Object> done = new HashMap<>(values);
            kit.households().find(h.id()).flatMap(Household::nextVisit).filter(c -> !c.isEmpty()).flatMap(kit.visits()::find)
                    .ifPresent(next -> done.put("next", Map.of("month", next.due().getMonthValue(), "day", next.due().getDayOfMonth())));
            return kit.say(BotText.WORKER_VISIT_RECORDED, done);
        }, Effect.guarded("visit.record", () -> kit.registry().recordVisit(v.code(), today(), w.name(), note, kit.now())),
                Effect.write("audit", () -> kit.audit().record(kit.now(), w.name(), "worker_visit", v.code(), "wechat")))
                .orIfLost(() -> kit.say(BotText.WORKER_VISIT_NOT_DUE, values));
    }

    private Map<String, Object> values(Visit v, Household h) {
        Map<String, Object> values = new HashMap<>();
        values.put("code", v.code());
        values.put("masked", h.maskedName());
        values.put("category", String.join("、", h.categories().keySet().stream().map(kit.categories()::label).toList()));
        values.put("dueMonth", v.due().getMonthValue());
        values.put("dueDay", v.due().getDayOfMonth());
        return values;
    }

    private LocalDate today() {
        return kit.now().atZone(BAOSHAN).toLocalDate();
    }
}
