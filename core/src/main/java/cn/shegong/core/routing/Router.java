package cn.shegong.core.routing;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import cn.shegong.core.casework.Case;
import cn.shegong.core.staff.StaffStore;
import cn.shegong.core.staff.Worker;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import org.bson.Document;

/**
 * Decides where a request goes by the rules in force: the station (the request's township unless
 * the rule names one) and, by the rule's way of choosing, the worker — never an inactive one, nor
 * one at capacity; when nobody fits, the station head decides. A request whose township is unknown
 * has no station: it waits in its county's (or the city's) inbox until an admin sets the place.
 */
public final class Router {

    /** Where a request goes and why (shown on the case). */
    public record Decision(RoutingRules.Rule rule, Optional<String> station, Optional<Worker> worker, String why) {
    }

    private final RuleStore rules;
    private final StaffStore staff;
    private final MongoCollection<Document> counters;

    public Router(RuleStore rules, StaffStore staff, MongoDatabase db) {
        this.rules = rules;
        this.staff = staff;
        this.counters = db.getCollection("counters");
    }

    /** The rule that takes the request (without choosing anyone). */
    public RoutingRules.Rule ruleFor(Case c) {
        return rules.current().rules().match(c);
    }

    public Decision decide(Case c) {
        return decide(c, rules.current().rules(), true);
    }

    /** What {@link #decide} would do with the given rules (those being edited), moving no round-robin turn. */
    public Decision preview(Case c, RoutingRules in) {
        return decide(c, in, false);
    }

    public Decision decide(Case c, RoutingRules in) {
        return decide(c, in, true);
    }

    private Decision decide(Case c, RoutingRules in, boolean commit) {
        RoutingRules.Rule rule = in.match(c);
        Optional<String> station = rule.station().or(() -> c.township().map(t -> t.code()));
        if (station.isEmpty()) {
            return new Decision(rule, station, Optional.empty(), "township_unknown");
        }
        List<Worker> active = staff.workers(station.get()).stream().filter(Worker::active).toList();
        java.util.Map<String, Long> load = new java.util.HashMap<>(); // each worker's open requests, counted once
        active.forEach(w -> load.put(w.id(), staff.openCases(w.id())));
        List<Worker> free = active.stream().filter(w -> load.get(w.id()) < w.capacity()).toList();
        Optional<Worker> chosen = switch (rule.choose()) {
            case HEAD -> Optional.empty();
            case WORKER -> free.stream().filter(w -> w.id().equals(rule.worker().orElse(""))).findFirst();
            case ROUND_ROBIN -> free.isEmpty() ? Optional.empty() : Optional.of(free.get(next(station.get(), free.size(), commit)));
            case LEAST_LOADED -> leastLoaded(free, c, load);
        };
        String why = chosen.isPresent() ? rule.choose().name().toLowerCase(java.util.Locale.ROOT)
                : rule.choose() == RoutingRules.Choose.HEAD ? "head" : active.isEmpty() ? "no_worker" : "all_at_capacity";
        return new Decision(rule, station, chosen, why);
    }

    /** The free worker with the fewest open requests, those skilled in the category first. */
    private Optional<Worker> leastLoaded(List<Worker> free, Case c, java.util.Map<String, Long> load) {
        Comparator<Worker> bySkill = Comparator.comparing(w -> !w.skills().contains(c.category()));
        return free.stream().min(bySkill.thenComparingLong(w -> load.get(w.id())).thenComparing(Worker::name));
    }

    private int next(String station, int size, boolean commit) {
        String key = "round_robin:" + station;
        if (!commit) {
            Document d = counters.find(Filters.eq("_id", key)).first();
            return Math.floorMod(d == null ? 0 : d.getInteger("seq"), size);
        }
        Document d = counters.findOneAndUpdate(Filters.eq("_id", key), Updates.inc("seq", 1),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        return Math.floorMod(d.getInteger("seq") - 1, size);
    }
}
