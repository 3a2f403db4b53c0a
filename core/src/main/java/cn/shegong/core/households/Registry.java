package cn.shegong.core.households;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.Optional;

/**
 * The registry's rules in one place: every active household under a visit rule always has its
 * next visit scheduled — enrolling schedules the first, recording a visit schedules the next by
 * the strictest rule that applies then, and an exit cancels what is open.
 */
public final class Registry {

    private final HouseholdStore households;
    private final VisitStore visits;
    private final VisitPolicy policy;

    public Registry(HouseholdStore households, VisitStore visits, VisitPolicy policy) {
        this.households = households;
        this.visits = visits;
        this.policy = policy;
    }

    /** Saves a household (created, updated or unchanged), assigns its worker, and makes sure its next visit is scheduled. */
    public HouseholdStore.Saved enrol(HouseholdStore.Facts facts, Optional<String> workerId, LocalDate today, Instant now) {
        HouseholdStore.Saved saved = households.save(facts, now);
        Household h = households.find(saved.id()).orElseThrow();
        if (workerId.isPresent() && !workerId.equals(h.workerId())) {
            households.assign(h.id(), workerId.get(), now);
            h = households.find(saved.id()).orElseThrow();
        }
        ensureNextVisit(h, today, now);
        return saved;
    }

    /** Records a visit as done and schedules the next; false when it was no longer due. */
    public boolean recordVisit(String code, LocalDate on, String by, String note, Instant now) {
        Optional<Visit> v = visits.find(code);
        if (v.isEmpty() || !visits.record(code, on, by, note, now)) {
            return false;
        }
        households.find(v.get().householdId()).filter(h -> h.status() == Household.Status.ACTIVE).ifPresent(h -> {
            households.setNextVisit(h.id(), "");
            policy.rule(h.categories().keySet(), h.risk()).ifPresent(rule -> households.setNextVisit(h.id(),
                    visits.schedule(h.id(), h.workerId(), h.townshipCode(), VisitPolicy.next(on, rule), rule.name(), summary(h), now)));
        });
        return true;
    }

    /** The household leaves care: its open visit is cancelled. */
    public void exit(String householdId, String reason, LocalDate on, Instant now) {
        households.find(householdId).flatMap(Household::nextVisit).filter(c -> !c.isEmpty()).ifPresent(visits::cancel);
        households.exit(householdId, reason, on, now);
    }

    /** What a reminder shows, kept on the visit so the daily sweep reads no household. */
    private static Visit.Summary summary(Household h) {
        return new Visit.Summary(h.maskedName(), h.categories().keySet().stream().sorted().findFirst().orElse(""), h.village());
    }

    private void ensureNextVisit(Household h, LocalDate today, Instant now) {
        if (h.status() != Household.Status.ACTIVE) {
            return;
        }
        boolean open = h.nextVisit().filter(c -> !c.isEmpty()).flatMap(visits::find).filter(v -> v.status() == Visit.Status.DUE).isPresent();
        if (open) {
            return;
        }
        policy.rule(h.categories().keySet(), h.risk()).ifPresent(rule -> {
            LocalDate enrolled = h.categories().values().stream().min(Comparator.naturalOrder()).orElse(today);
            LocalDate due = VisitPolicy.next(enrolled, rule);
            households.setNextVisit(h.id(), visits.schedule(h.id(), h.workerId(), h.townshipCode(),
                    due.isBefore(today) ? today : due, rule.name(), summary(h), now));
        });
    }
}
