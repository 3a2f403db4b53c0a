package cn.shegong.bot.worker;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.bot.dialogue.BotText;
import cn.shegong.bot.intake.CaseRelay;
import cn.shegong.bot.intake.Vocabulary;
import cn.shegong.bot.outbound.Outbox;
import cn.shegong.bot.outbound.TemplateBindings;
import cn.shegong.core.casework.Case;
import cn.shegong.core.resident.ResidentStore;
import cn.shegong.core.staff.StaffStore;
import cn.shegong.core.staff.Worker;
import cn.shegong.core.staff.WorkerEvents;
import cn.shegong.core.text.Texts;

/**
 * What reaches a bound worker's WeChat without their asking: a new assignment (a template card
 * with the case number, category, urgency and township — never a name, phone or description,
 * which WeChat would show on a lock screen) and what a resident sends on the worker's case (as
 * chat inside the worker's 48-hour window, else a card saying there is a message).
 */
public final class WorkerNotices implements CaseRelay, WorkerEvents {

    public static final String NEW_ASSIGNMENT = "new_assignment";
    public static final String RESIDENT_MESSAGE = "resident_message";
    public static final String DEADLINE_WARNING = "deadline_warning";

    private final StaffStore staff;
    private final ResidentStore residents;
    private final Outbox outbox;
    private final Texts texts;
    private final Vocabulary words;
    private final java.time.Clock clock;

    public WorkerNotices(StaffStore staff, ResidentStore residents, Outbox outbox, Texts texts, Vocabulary words, java.time.Clock clock) {
        this.staff = staff;
        this.residents = residents;
        this.outbox = outbox;
        this.texts = texts;
        this.words = words;
        this.clock = clock;
    }

    @Override
    public void assigned(Case c, Worker w) {
        w.openid().ifPresent(openid -> {
            Map<String, String> values = values(c);
            values.put("category", words.label(c.category()));
            values.put("urgency", texts.render(c.urgent() ? BotText.WORKER_URGENCY_URGENT : BotText.WORKER_URGENCY_NORMAL));
            values.put("place", c.township().map(t -> t.county() + t.name()).orElse("-"));
            outbox.sendNotice(openid, NEW_ASSIGNMENT, values);
        });
    }

    /** A step of the case is near ({@code red} false) or past its deadline: a card to each of {@code openids}, nothing personal. */
    public void deadline(Case c, List<String> openids, BotText step, boolean red, java.time.Instant due) {
        Map<String, String> values = values(c);
        values.put("step", texts.render(step));
        values.put("state", texts.render(red ? BotText.DEADLINE_STATE_RED : BotText.DEADLINE_STATE_AMBER));
        TemplateBindings.timeValues(due).forEach((k, v) -> values.put("due" + Character.toUpperCase(k.charAt(0)) + k.substring(1), v));
        openids.forEach(openid -> outbox.sendNotice(openid, DEADLINE_WARNING, values));
    }

    @Override
    public boolean reachesWorker(Case c) {
        return workerOpenid(c).flatMap(residents::find).map(r -> r.windowOpen(clock.instant())).orElse(false);
    }

    private Optional<String> workerOpenid(Case c) {
        return c.assigneeId().flatMap(staff::worker).filter(Worker::active).flatMap(Worker::openid);
    }

    @Override
    public void fromResident(Case c, String kind, Optional<String> text, boolean urgent) {
        workerOpenid(c).ifPresent(openid -> {
            Map<String, Object> v = new HashMap<>(Map.of("number", c.number(), "code", c.shortCode()));
            text.ifPresent(t -> v.put("text", t));
            v.put("kind", words.mediaLabel(kind));
            v.put("urgent", urgent);
            outbox.sendText(openid, texts.render(BotText.WORKER_RESIDENT_MESSAGE, v), RESIDENT_MESSAGE, values(c));
        });
    }

    private Map<String, String> values(Case c) {
        Map<String, String> values = new HashMap<>(TemplateBindings.timeValues(clock.instant()));
        values.put("number", c.number());
        values.put("code", c.shortCode());
        return values;
    }
}
