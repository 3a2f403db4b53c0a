package cn.shegong.bot.intake;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import cn.shegong.bot.dialogue.BotText;
import cn.shegong.bot.outbound.Outbox;
import cn.shegong.bot.outbound.TemplateBindings;
import cn.shegong.core.casework.Case;
import cn.shegong.core.staff.Rosters;
import cn.shegong.core.staff.StaffStore;
import cn.shegong.core.staff.UrgentAlerts;
import cn.shegong.core.staff.Worker;
import cn.shegong.core.text.Texts;

/**
 * Tells staff about an urgent request at once — at any hour, quiet hours never hold it back — as a
 * chat message inside WeChat's 48-hour window, else as a card, and asks them to reply 收到. Who is
 * told goes up a chain until someone acknowledges: (1) whoever is on duty at the request's station
 * today (its roster; with none, its head and the workers skilled in the category) and its own
 * worker; (2) the station head; (3) whoever is on duty for the county; (4) for the city (else
 * {@code ONDUTY_OPENIDS}). Each level that has nobody bound is skipped. The routing sweep raises an
 * alert nobody acknowledged within {@link #ACK_WITHIN}.
 */
public final class Alerts {

    public static final String URGENT_CASE = "urgent_case";
    /** How long an urgent alert waits for someone to say 收到 before the next level is told. */
    public static final Duration ACK_WITHIN = Duration.ofMinutes(10);

    private final Outbox outbox;
    private final StaffStore staff;
    private final Rosters rosters;
    private final UrgentAlerts alerts;
    private final Texts texts;
    private final Vocabulary words;
    private final List<String> fallback;
    private final Clock clock;

    public Alerts(Outbox outbox, StaffStore staff, Rosters rosters, UrgentAlerts alerts, Texts texts, Vocabulary words, List<String> fallback,
                  Clock clock) {
        this.outbox = outbox;
        this.staff = staff;
        this.rosters = rosters;
        this.alerts = alerts;
        this.texts = texts;
        this.words = words;
        this.fallback = List.copyOf(fallback);
        this.clock = clock;
    }

    /** A request was opened urgent (or became urgent): the first level with anyone bound is told. */
    void urgent(Case c, String categoryLabel) {
        for (int level = 1; level <= UrgentAlerts.TOP; level++) {
            List<String> to = level(c, level);
            if (!to.isEmpty()) {
                send(c, to, false);
                alerts.open(c.id(), level, to, clock.instant());
                return;
            }
        }
    }

    /** Raises every alert nobody acknowledged in time to the next level that has someone; how many were raised. */
    public int escalateUnacknowledged(java.util.function.Function<String, java.util.Optional<Case>> cases,
                                      java.util.function.BiConsumer<Case, Integer> onTimeline) {
        Instant now = clock.instant();
        int raised = 0;
        for (UrgentAlerts.Alert a : alerts.overdue(now, ACK_WITHIN)) {
            java.util.Optional<Case> c = cases.apply(a.caseId());
            if (c.isEmpty() || !c.get().status().isOpen()) {
                alerts.ack(a.caseId(), "ended", now);
                continue;
            }
            for (int level = a.level() + 1; level <= UrgentAlerts.TOP; level++) {
                List<String> to = level(c.get(), level).stream().filter(o -> !a.sentTo().contains(o)).toList();
                if (!to.isEmpty() && alerts.escalate(a.caseId(), a.level(), level, to, now)) {
                    send(c.get(), to, true);
                    onTimeline.accept(c.get(), level);
                    raised++;
                    break;
                }
            }
        }
        return raised;
    }

    /** Who a level reaches: bound, active workers' openids. */
    List<String> level(Case c, int level) {
        LocalDate today = clock.instant().atZone(ZoneId.of("Asia/Shanghai")).toLocalDate();
        Set<String> out = new LinkedHashSet<>();
        switch (level) {
            case 1 -> c.township().ifPresent(t -> {
                c.assigneeId().ifPresent(id -> openid(id).ifPresent(out::add));
                rosters.onDuty(t.code(), today).forEach(id -> openid(id).ifPresent(out::add));
                if (out.isEmpty()) {
                    staff.workers(t.code()).stream().filter(Worker::active)
                            .filter(w -> w.role() == Worker.Role.HEAD || w.skills().contains(c.category()))
                            .forEach(w -> w.openid().ifPresent(out::add));
                }
            });
            case 2 -> c.township().ifPresent(t -> out.addAll(staff.headOpenids(t.code())));
            case 3 -> c.township().ifPresent(t -> rosters.onDuty(Rosters.county(t.countyCode()), today)
                    .forEach(id -> openid(id).ifPresent(out::add)));
            default -> {
                rosters.onDuty(Rosters.CITY, today).forEach(id -> openid(id).ifPresent(out::add));
                if (out.isEmpty()) {
                    out.addAll(fallback);
                }
            }
        }
        return List.copyOf(out);
    }

    private java.util.Optional<String> openid(String workerId) {
        return staff.worker(workerId).filter(Worker::active).flatMap(Worker::openid);
    }

    private void send(Case c, List<String> to, boolean escalated) {
        Map<String, String> values = new HashMap<>(TemplateBindings.timeValues(clock.instant()));
        values.put("category", words.label(c.category()));
        values.put("number", c.number());
        values.put("code", c.shortCode());
        values.put("place", c.township().map(t -> t.county() + t.name()).orElse(texts.render(BotText.PLACE_UNKNOWN)));
        Map<String, Object> text = new HashMap<>(values);
        if (escalated) {
            values.put("escalated", "yes");
            values.put("minutes", Long.toString(ACK_WITHIN.toMinutes()));
            text.put("escalated", true);
            text.put("minutes", ACK_WITHIN.toMinutes());
        }
        String message = texts.render(BotText.WORKER_URGENT_ALERT, text);
        to.forEach(openid -> outbox.sendText(openid, message, URGENT_CASE, values));
    }
}
