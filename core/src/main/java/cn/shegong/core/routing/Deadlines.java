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

    /** The most pressing open step, if any. */
    public Optional<Due> worst(Case c, DeadlineStore.Track t, Instant now) {
        return of(c, t, now).stream().findFirst();
    }

    private Due due(RoutingRules.Step step, Instant start, DeadlineStore.Track t, Instant now) {
        Instant due = t.limits().get(step).due(start, calendar);
        Duration whole = Duration.between(start, due);
        State state = now.isBefore(start.plus(whole.multipliedBy(3).dividedBy(4))) ? State.OK
                : now.isBefore(due) ? State.AMBER : now.isBefore(due.plus(whole)) ? State.RED : State.COUNTY;
        return new Due(step, start, due, state);
    }

    private static Instant assignedAt(Case c) {
        return c.timeline().stream().filter(e -> e.kind().equals("assigned")).map(Case.Event::at).reduce((a, b) -> b).orElse(c.createdAt());
    }
}
