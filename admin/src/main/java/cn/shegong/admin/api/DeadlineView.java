package cn.shegong.admin.api;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import cn.shegong.core.casework.Case;
import cn.shegong.core.routing.DeadlineStore;
import cn.shegong.core.routing.Deadlines;
import cn.shegong.core.routing.WorkCalendar;
import cn.shegong.core.staff.UrgentAlerts;

/**
 * What the inbox and the case page show of a request's deadlines: the rule that routed it, its most
 * pressing open step with its due time and state (ok, amber, red, county), every open step, and
 * the year whose public holidays are not entered yet when a deadline falls in it.
 */
public final class DeadlineView {

    private final DeadlineStore tracks;
    private final Deadlines deadlines;
    private final WorkCalendar calendar;
    private final UrgentAlerts alerts;
    private final Clock clock;

    public DeadlineView(DeadlineStore tracks, Deadlines deadlines, WorkCalendar calendar, UrgentAlerts alerts, Clock clock) {
        this.alerts = alerts;
        this.tracks = tracks;
        this.deadlines = deadlines;
        this.calendar = calendar;
        this.clock = clock;
    }

    /** Staff changed who has the request: the next sweep looks at its deadlines ({@link DeadlineStore#wake}). */
    void reassigned(Case c) {
        tracks.wake(c.id());
    }

    Map<String, Object> of(Case c) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (c.urgent() && c.status().isOpen()) { // an urgent alert nobody has acknowledged yet, climbing its chain
            alerts.find(c.id()).filter(a -> a.ackedBy().isEmpty()).ifPresent(a -> out.put("alertWaiting", Map.of("level", a.level(),
                    "since", a.at().toString())));
        }
        tracks.find(c.id()).ifPresent(t -> {
            t.rule().ifPresent(r -> out.put("rule", r));
            var steps = deadlines.of(c, t, clock.instant());
            out.put("deadlines", steps.stream().map(d -> Map.of("step", d.step().name(), "due", d.due().toString(),
                    "state", d.state().name())).toList());
            steps.stream().findFirst().ifPresent(d -> out.put("deadline", Map.of("step", d.step().name(), "due", d.due().toString(),
                    "state", d.state().name())));
            steps.stream().map(d -> d.due().atZone(java.time.ZoneId.of("Asia/Shanghai")).toLocalDate()).filter(day -> !calendar.covers(day))
                    .findFirst().ifPresent(day -> out.put("calendarGap", day.getYear())); // holidays of that year not entered yet
        });
        return out;
    }
}
