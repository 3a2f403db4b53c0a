package cn.shegong.bot.intake;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import cn.shegong.bot.outbound.Outbox;
import cn.shegong.bot.outbound.TemplateBindings;
import cn.shegong.core.casework.Case;
import cn.shegong.core.staff.StaffStore;
import cn.shegong.core.staff.Worker;

/**
 * Tells staff about an urgent case at once, by template message (it reaches them whenever they
 * last wrote to the account): the bound, active workers of the case's station who head it or
 * have the category's skill. Until duty rosters exist that is who is on duty; a station with
 * nobody bound (or a case with no township yet) falls back to {@code ONDUTY_OPENIDS}.
 */
public final class Alerts {

    public static final String URGENT_CASE = "urgent_case";

    private final Outbox outbox;
    private final StaffStore staff;
    private final List<String> fallback;
    private final java.time.Clock clock;

    public Alerts(Outbox outbox, StaffStore staff, List<String> fallback, java.time.Clock clock) {
        this.outbox = outbox;
        this.staff = staff;
        this.fallback = List.copyOf(fallback);
        this.clock = clock;
    }

    void urgent(Case c, String categoryLabel) {
        Map<String, String> values = new HashMap<>(TemplateBindings.timeValues(clock.instant()));
        values.put("category", categoryLabel);
        values.put("number", c.number());
        values.put("place", c.township().map(t -> t.county() + t.name()).orElse("-"));
        recipients(c).forEach(openid -> outbox.sendNotice(openid, URGENT_CASE, values));
    }

    /** Who is told: the case's own worker, the station's bound heads and skilled workers, else the fallback list. */
    public List<String> recipients(Case c) {
        java.util.Set<String> bound = new java.util.LinkedHashSet<>();
        c.assigneeId().flatMap(staff::worker).filter(Worker::active).flatMap(Worker::openid).ifPresent(bound::add);
        c.township().ifPresent(t -> staff.workers(t.code()).stream().filter(Worker::active)
                .filter(w -> w.role() == Worker.Role.HEAD || w.skills().contains(c.category()))
                .forEach(w -> w.openid().ifPresent(bound::add)));
        return bound.isEmpty() ? fallback : List.copyOf(bound);
    }
}
