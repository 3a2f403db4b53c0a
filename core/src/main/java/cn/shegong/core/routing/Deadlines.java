package cn.shegong.core.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import cn.shegong.core.casework.Case;

/**
 * Where a request stands against its deadlines. Each step not yet done has a due time: being
 * assigned to a worker and first contact count from the request, acceptance from the assignment,
 * closing from the request. A step turns amber when three quarters of its time are gone, red when
 * due, and goes up to the county when overdue by its whole time again.
 */
public final class Deadlines {

    public enum State { OK, AMBER, RED, COUNTY }

    /** However quiet a request, the sweep reads it again after this long: a safety net, not a schedule. */
    public static final Duration RECHECK = Duration.ofMinutes(15);

    /** One open step: when it started, when it is due, and its state now. */
    public record Due(RoutingRules.Step step, Instant start, Instant due, State state) {

        /** Escalation level of this state: 1 amber, 2 red, 3 the county. */
        public int level() {
            return state.ordinal();
        }
    }

    private final WorkCalendar calendar;

    public Deadlines(WorkCalendar calendar) {
        this.calendar = calendar;
    }

    /** The open steps of an open request, most pressing first; none for an ended one or one not yet routed. */
    public List<Due> of(Case c, DeadlineStore.Track t, Instant now) {
        List<Due> out = new ArrayList<>();
        if (!c.status().isOpen() || t.limits().isEmpty()) {
            return out;
        }
        if (c.assigneeId().isEmpty()) {
            out.add(due(RoutingRules.Step.ASSIGN, c.createdAt(), t, now));
        } else if (c.status() == Case.Status.ASSIGNED) {
            out.add(due(RoutingRules.Step.ACCEPT, assignedAt(c), t, now));
        }
        if (c.firstContactAt().isEmpty()) {
            out.add(due(RoutingRules.Step.FIRST_CONTACT, c.createdAt(), t, now));
        }
        out.add(due(RoutingRules.Step.CLOSE, c.createdAt(), t, now));
        out.sort(Comparator.comparing(Due::state).reversed().thenComparing(Due::due));
        return out;
    }

    /**
     * Until when nothing about this request can fall due, so the sweep need not read it before
     * then: the first moment a step not yet done reaches a level it has not been raised to (now, if
     * one already has), at most {@link #RECHECK} from now. Acceptance counts as if it could start
     * at once (any assignment restarts it). What this cannot foresee is a request put back in the
     * inbox, whose assignment counts from the request: whoever does that wakes its track
     * ({@link DeadlineStore#wake}).
     */
    public Instant quietUntil(Case c, DeadlineStore.Track t, Instant now) {
        Instant until = now.plus(RECHECK);
        if (!c.status().isOpen() || t.limits().isEmpty()) {
            return until;
        }
        List<Due> steps = new ArrayList<>(of(c, t, now));
        steps.add(due(RoutingRules.Step.ACCEPT, now, t, now));
        for (Due d : steps) {
            int raised = t.levels().getOrDefault(d.step(), 0);
            if (raised < State.COUNTY.ordinal()) {
                Instant next = threshold(d, raised + 1);
                until = next.isBefore(until) ? next : until;
            }
        }
        return until.isBefore(now) ? now : until;
    }

    /** When a step reaches {@code level}: amber at three quarters of its time, red when due, the county when overdue by its time again. */
    private static Instant threshold(Due d, int level) {
        Duration whole = Duration.between(d.start(), d.due());
        return switch (level) {
            case 1 -> d.start().plus(whole.multipliedBy(3).dividedBy(4));
            case 2 -> d.due();
            default -> d.due().plus(whole);
        };
    }

    /** The most pressing open step, if any. */
    public Optional<Due> worst(Case c, DeadlineStore.Track t, Instant now) {
        return of(c, t, now).stream().findFirst();
    }

    private Due due(RoutingRules.Step step, Instant start, DeadlineStore.Track t, Instant now) {
        Due d = new Due(step, start, t.limits().get(step).due(start, calendar), State.OK);
        State state = State.OK;
        for (State s : List.of(State.AMBER, State.RED, State.COUNTY)) {
            state = now.isBefore(threshold(d, s.ordinal())) ? state : s;
        }
        return new Due(step, start, d.due(), state);
    }

    private static Instant assignedAt(Case c) {
        // the latest, not the last in the list: a merge appends the duplicate's older events
        return c.timeline().stream().filter(e -> e.kind().equals("assigned")).map(Case.Event::at).max(Comparator.naturalOrder())
                .orElse(c.createdAt());
    }
}
