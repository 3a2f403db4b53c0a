package cn.shegong.bot.worker;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import cn.shegong.core.casework.Case;
import cn.shegong.core.staff.Worker;

/**
 * Which case a worker means, and whether it is theirs to act on. A worker acts on cases assigned
 * to them and may take an unassigned one of their station; a station head acts on all of the
 * station's cases. Nothing outside the station is ever touched.
 */
final class Mine {

    sealed interface Found {
        record One(Case c) implements Found { }
        record None(String ref) implements Found { }
        record Several(String ref) implements Found { }
        record NotYours(Case c) implements Found { }
    }

    private final WorkerKit kit;

    Mine(WorkerKit kit) {
        this.kit = kit;
    }

    /** The worker's open cases (urgent first), and for a head the station's unassigned ones after them. */
    List<Case> tasks(Worker w) {
        List<Case> mine = kit.cases().forWorkers().openAssignedTo(w.id());
        List<Case> waiting = w.role() == Worker.Role.HEAD ? kit.cases().forWorkers().openUnassigned(w.stationCode()) : List.of();
        return Stream.concat(mine.stream(), waiting.stream()).toList();
    }

    /** A full number (BS20261130-0007) or the short code (0007, 7) among the worker's tasks. */
    Found find(Worker w, String ref) {
        String r = ref.toUpperCase(java.util.Locale.ROOT);
        if (r.startsWith("BS")) {
            String day = r.substring(0, 10);
            String seq = r.substring(10).replace("-", "");
            String number = day + "-" + String.format("%4s", seq).replace(' ', '0');
            return kit.cases().findByNumber(number).map(c -> inStation(w, c) ? (Found) new Found.One(c) : new Found.NotYours(c))
                    .orElse(new Found.None(ref));
        }
        String code = String.format("%4s", r).replace(' ', '0');
        List<Case> matches = tasks(w).stream().filter(c -> c.shortCode().equals(code)).toList();
        if (matches.size() > 1) {
            return new Found.Several(ref);
        }
        return matches.isEmpty() ? new Found.None(ref) : new Found.One(matches.get(0));
    }

    /** May act on it beyond taking it: assigned to them, or they head its station. */
    boolean mayWorkOn(Worker w, Case c) {
        return inStation(w, c) && (w.role() == Worker.Role.HEAD || c.assigneeId().filter(w.id()::equals).isPresent());
    }

    /** May take it: in their station and nobody else's. */
    boolean mayTake(Worker w, Case c) {
        return inStation(w, c) && c.assigneeId().map(w.id()::equals).orElse(true);
    }

    static boolean inStation(Worker w, Case c) {
        return c.township().map(t -> t.code().equals(w.stationCode())).orElse(false);
    }

    static Optional<Case> one(Found f) {
        return f instanceof Found.One o ? Optional.of(o.c()) : Optional.empty();
    }
}
