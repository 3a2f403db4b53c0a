package cn.shegong.core.routing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;

/**
 * The requests being held to their deadlines, one small document per open request
 * ({@code case_deadlines}, {@code _id} the case id): the rule that routed it and that rule's limits
 * at the time (a later edit does not move a promise already made), whether it was routed, and how
 * far each step has been escalated — claimed atomically, so replicas sweeping at once act once.
 * The sweep reads this collection only: it holds open requests, not the years of closed ones, and
 * of those only the ones something may be due for ({@code quietUntil}).
 */
public final class DeadlineStore {

    public record Track(String caseId, Optional<String> rule, Map<RoutingRules.Step, Limit> limits, boolean routed,
                        Map<RoutingRules.Step, Integer> levels) {

        /** Just routed by {@code rule}: its limits, no step raised yet. */
        public static Track routedBy(String caseId, RoutingRules.Rule rule) {
            return new Track(caseId, Optional.of(rule.name()), rule.deadlines(), true, Map.of());
        }

        /** The same, with each step of {@code dues} raised to its level (claimed by this sweep or another). */
        public Track raisedTo(List<Deadlines.Due> dues) {
            Map<RoutingRules.Step, Integer> raised = new EnumMap<>(RoutingRules.Step.class);
            raised.putAll(levels);
            dues.forEach(d -> raised.merge(d.step(), d.level(), Math::max));
            return new Track(caseId, rule, limits, routed, raised);
        }
    }

    private static final String QUIET = "quietUntil";

    private final MongoCollection<Document> tracks;

    public DeadlineStore(MongoDatabase db) {
        this.tracks = db.getCollection("case_deadlines");
    }

    /** Starts holding a new request to the deadlines (routing fills in its rule); doing it twice changes nothing. */
    public void open(String caseId, Instant now) {
        tracks.updateOne(Filters.eq("_id", caseId), Updates.setOnInsert("at", Date.from(now)), new UpdateOptions().upsert(true));
    }

    /**
     * The rule that took the request, and its limits; {@code routed} once a station has it; quiet
     * until {@code quietUntil} if given, else looked at by the next sweep.
     */
    public void routed(String caseId, RoutingRules.Rule rule, boolean routed, Optional<Instant> quietUntil) {
        Document limits = new Document();
        rule.deadlines().forEach((step, limit) -> limits.append(step.name(), limit.text()));
        tracks.updateOne(Filters.eq("_id", caseId), Updates.combine(Updates.set("rule", rule.name()), Updates.set("limits", limits),
                Updates.set("routed", routed), quietUntil.map(q -> Updates.set(QUIET, Date.from(q))).orElse(Updates.unset(QUIET))),
                new UpdateOptions().upsert(true));
    }

    public Optional<Track> find(String caseId) {
        return Optional.ofNullable(tracks.find(Filters.eq("_id", caseId)).first()).map(DeadlineStore::track);
    }

    /** The sweep's query: {@code quietUntil}, the time before which nothing about the request can fall due. */
    public void ensureIndexes() {
        tracks.createIndex(Indexes.ascending(QUIET), new IndexOptions().name(QUIET));
    }

    /**
     * The requests something may be due for at {@code now}: those not quiet until later ({@link
     * #quiet}), and those quiet past {@link Deadlines#RECHECK} from now, which only a clock set
     * back (or a replica's clock ahead) makes.
     */
    public List<Track> due(Instant now) {
        List<Track> out = new ArrayList<>();
        tracks.find(Filters.or(Filters.exists(QUIET, false), Filters.lte(QUIET, Date.from(now)),
                Filters.gt(QUIET, Date.from(now.plus(Deadlines.RECHECK))))).forEach(d -> out.add(track(d)));
        return out;
    }

    /** Nothing about the request can fall due before {@code until} ({@link Deadlines#quietUntil}). */
    public void quiet(String caseId, Instant until) {
        tracks.updateOne(Filters.eq("_id", caseId), Updates.set(QUIET, Date.from(until)));
    }

    /** Something changed that {@link Deadlines#quietUntil} could not foresee (the request is back in the inbox): the next sweep reads it. */
    public void wake(String caseId) {
        tracks.updateOne(Filters.eq("_id", caseId), Updates.unset(QUIET));
    }

    /** True for the one caller that raises {@code step} of the request to {@code level}. */
    public boolean claim(String caseId, RoutingRules.Step step, int level) {
        String field = "levels." + step.name();
        return tracks.updateOne(Filters.and(Filters.eq("_id", caseId), Filters.or(Filters.exists(field, false), Filters.lt(field, level))),
                Updates.set(field, level)).getModifiedCount() == 1;
    }

    /** The request ended (closed or cancelled): nothing more is due. */
    public void close(String caseId) {
        tracks.deleteOne(Filters.eq("_id", caseId));
    }

    private static Track track(Document d) {
        Map<RoutingRules.Step, Limit> limits = new EnumMap<>(RoutingRules.Step.class);
        d.get("limits", new Document()).forEach((k, v) -> limits.put(RoutingRules.Step.valueOf(k), Limit.parse(String.valueOf(v))));
        Map<RoutingRules.Step, Integer> levels = new EnumMap<>(RoutingRules.Step.class);
        d.get("levels", new Document()).forEach((k, v) -> levels.put(RoutingRules.Step.valueOf(k), ((Number) v).intValue()));
        return new Track(d.getString("_id"), Optional.ofNullable(d.getString("rule")), limits, d.getBoolean("routed", false), levels);
    }
}
