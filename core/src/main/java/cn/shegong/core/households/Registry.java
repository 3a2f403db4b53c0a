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
    private final Monitoring monitoring;

    public Registry(HouseholdStore households, VisitStore visits, VisitPolicy policy, Monitoring monitoring) {
        this.households = households;
        this.visits = visits;
        this.policy = policy;
        this.monitoring = monitoring;
    }

    /** Saves a household (created, updated or unchanged), assigns its worker, and makes sure its next visit is scheduled. */
    public HouseholdStore.Saved enrol(HouseholdStore.Facts facts, Optional<String> workerId, LocalDate today, Instant now) {
        HouseholdStore.Saved saved = households.save(facts, now);
        Household h = households.find(saved.id()).orElseThrow();
        if (workerId.isPresent() && !workerId.equals(h.workerId())) {
            households.assign(h.id(), workerId.get(), "assigned", "", now);
            h = households.find(saved.id()).orElseThrow();
        }
        ensureNextVisit(h, today, now);
        return saved;
    }

    /** A household edited in the console: its facts replaced, its worker set, its next visit by the rule that applies now. */
    public void edit(String householdId, HouseholdStore.Facts facts, Optional<String> workerId, String by, LocalDate today, Instant now) {
        households.update(householdId, facts, by, now);
        Household h = households.find(householdId).orElseThrow();
        if (workerId.isPresent() && !workerId.equals(h.workerId())) {
            move(householdId, workerId.get(), by, now);
            h = households.find(householdId).orElseThrow();
        }
        ensureNextVisit(h, today, now);
    }

    /** Records a visit as done and schedules the next; a risk signal in the note flags the household. False when no longer due. */
    public boolean recordVisit(String code, LocalDate on, String by, String note, Instant now) {
        Optional<Visit> v = visits.find(code);
        if (v.isEmpty() || !visits.record(code, on, by, note, now)) {
            return false;
        }
        monitoring.check(Monitoring.Subject.household(v.get().householdId()), v.get().stationCode(), "visit_note", note, now);
        households.find(v.get().householdId()).filter(h -> h.status() == Household.Status.ACTIVE)
                .filter(h -> h.nextVisit().filter(code::equals).isPresent()).ifPresent(h -> {
            households.setNextVisit(h.id(), "");
            policy.rule(h.categories().keySet(), h.risk()).ifPresent(rule -> households.setNextVisit(h.id(),
                    visits.schedule(h.id(), h.workerId(), h.townshipCode(), VisitPolicy.next(on, rule), rule.name(), summary(h), now)));
        });
        return true;
    }

    /** The household leaves care: every open visit is cancelled. */
    public void exit(String householdId, String reason, LocalDate on, String by, Instant now) {
        openVisits(householdId).forEach(v -> visits.cancel(v.code()));
        households.exit(householdId, reason, on, by, now);
    }

    /**
     * A reviewer confirmed a major change: the household is high risk from now on and is visited
     * within the policy's major-change period (its next visit is brought forward if it was later).
     */
    public void raiseRisk(String householdId, LocalDate today, String by, Instant now) {
        households.setRisk(householdId, Household.Risk.HIGH, by, now);
        Household h = households.find(householdId).orElseThrow();
        LocalDate within = VisitPolicy.next(today, policy.majorChange());
        Optional<Visit> next = h.nextVisit().filter(c -> !c.isEmpty()).flatMap(visits::find).filter(v -> v.status() == Visit.Status.DUE);
        if (h.status() != Household.Status.ACTIVE || next.filter(v -> !v.due().isAfter(within)).isPresent()) {
            return;
        }
        next.ifPresent(v -> visits.cancel(v.code()));
        households.setNextVisit(h.id(), visits.schedule(h.id(), h.workerId(), h.townshipCode(), within, policy.majorChange().name(),
                summary(h), now));
    }

    /** Enrols the household in one more care category (e.g. 低收入监测对象 after a review), visits by its rules then. */
    public void enrolIn(String householdId, String category, LocalDate today, String by, Instant now) {
        households.addCategory(householdId, category, today, by, now);
    }

    /** The household moves to another worker, and its open visits with it. */
    public void move(String householdId, String workerId, String by, Instant now) {
        households.assign(householdId, workerId, "moved", by, now);
        openVisits(householdId).forEach(v -> visits.reassign(v.code(), workerId));
    }

    /** An extra visit ordered by a campaign (before 春节, a cold wave), due on {@code due}; the visit by policy stays as it is. */
    public Optional<String> orderVisit(String householdId, String campaign, LocalDate due, Instant now) {
        return households.find(householdId).filter(h -> h.status() == Household.Status.ACTIVE).map(h -> {
            String code = visits.schedule(h.id(), h.workerId(), h.townshipCode(), due, campaign, summary(h), now);
            households.addVisit(h.id(), code);
            return code;
        });
    }

    public Optional<Visit> visit(String code) {
        return visits.find(code);
    }

    /** Every visit of the household, oldest first. */
    public java.util.List<Visit> visitsOf(String householdId) {
        return households.visitCodes(householdId).stream().flatMap(c -> visits.find(c).stream()).toList();
    }

    /** The rule that sets the household's cadence now (the strictest that applies). */
    public Optional<VisitPolicy.Rule> ruleFor(Household h) {
        return policy.rule(h.categories().keySet(), h.risk());
    }

    private java.util.List<Visit> openVisits(String householdId) {
        return visitsOf(householdId).stream().filter(v -> v.status() == Visit.Status.DUE).toList();
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
