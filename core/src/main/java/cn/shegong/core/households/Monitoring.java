package cn.shegong.core.households;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import cn.shegong.core.storage.FieldCipher;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

/**
 * 低收入人口动态监测: risk signals found in a worker's visit note or a resident's request flag the
 * household (or, for a resident not in the registry, their request) for review. One open flag per
 * household or request gathers every signal and quote until someone reviews it; the quotes are
 * sealed. Flags live in {@code monitoring_flags}, a small collection read by area.
 */
public final class Monitoring {

    /** What a reviewer decided. */
    public enum Decision { OPEN, DISMISSED, RISK_RAISED, ENROLLED, FOLLOWED_UP }

    /** Where a flag came from, and what it points to: a household, or a resident's request (case) not in the registry. */
    public record Subject(Optional<String> householdId, Optional<String> caseId, String caseNumber) {

        public static Subject household(String id) {
            return new Subject(Optional.of(id), Optional.empty(), "");
        }

        public static Subject request(String caseId, String number) {
            return new Subject(Optional.empty(), Optional.of(caseId), number);
        }

        String key() {
            return householdId.map(h -> "h:" + h).orElseGet(() -> "c:" + caseId.orElseThrow());
        }
    }

    /** One piece of evidence: where it was said (visit_note, message), when, and the words around the signal. */
    public record Evidence(String source, Instant at, String quote) {
    }

    public record Flag(String id, Subject subject, String townshipCode, List<String> signals, List<Evidence> evidence,
                       Decision decision, Instant createdAt, Optional<String> reviewedBy) {
    }

    private final MongoCollection<Document> flags;
    private final RiskSignals lexicon;
    private final FieldCipher cipher;

    public Monitoring(MongoDatabase db, RiskSignals lexicon, FieldCipher cipher) {
        this.flags = db.getCollection("monitoring_flags");
        this.lexicon = lexicon;
        this.cipher = cipher;
    }

    /** Flags the subject when {@code text} shows a risk signal; the signals found (none: nothing flagged). */
    public List<RiskSignals.Hit> check(Subject subject, String townshipCode, String source, String text, Instant now) {
        List<RiskSignals.Hit> hits = lexicon.find(text);
        if (hits.isEmpty()) {
            return hits;
        }
        List<Bson> updates = new ArrayList<>(List.of(Updates.setOnInsert("createdAt", Date.from(now)),
                Updates.setOnInsert("townshipCode", townshipCode), Updates.setOnInsert("caseNumber", subject.caseNumber()),
                Updates.set("updatedAt", Date.from(now)), Updates.addEachToSet("signals", hits.stream().map(RiskSignals.Hit::code).toList())));
        subject.householdId().ifPresent(h -> updates.add(Updates.setOnInsert("householdId", h)));
        subject.caseId().ifPresent(c -> updates.add(Updates.setOnInsert("caseId", c)));
        for (RiskSignals.Hit hit : hits) {
            updates.add(Updates.push("evidence", cipher.encrypt(new Document("source", source).append("at", now.toString())
                    .append("quote", hit.quote()).toJson())));
        }
        flags.updateOne(Filters.and(Filters.eq("subject", subject.key()), Filters.eq("decision", Decision.OPEN.name())),
                Updates.combine(updates), new UpdateOptions().upsert(true));
        return hits;
    }

    /** Flags of an area, open ones first by default; {@code township} or {@code county} empty means any. */
    public List<Flag> list(Optional<String> county, Optional<String> township, Decision decision) {
        List<Flag> out = new ArrayList<>();
        flags.find(Filters.eq("decision", decision.name())).sort(new Document("updatedAt", -1)).forEach(d -> {
            if (cn.shegong.core.casework.Areas.within(d.getString("townshipCode"), county, township)) {
                out.add(flag(d));
            }
        });
        return out;
    }

    public Optional<Flag> find(String id) {
        return ObjectId.isValid(id) ? Optional.ofNullable(flags.find(Filters.eq("_id", new ObjectId(id))).first()).map(this::flag)
                : Optional.empty();
    }

    /** Records the review of an open flag; false when someone reviewed it first. */
    public boolean review(String id, Decision decision, String by, Instant now) {
        return flags.updateOne(Filters.and(Filters.eq("_id", new ObjectId(id)), Filters.eq("decision", Decision.OPEN.name())),
                Updates.combine(Updates.set("decision", decision.name()), Updates.set("reviewedBy", by),
                        Updates.set("reviewedAt", Date.from(now)))).getModifiedCount() == 1;
    }

    public String label(String signal) {
        return lexicon.label(signal);
    }

    private Flag flag(Document d) {
        List<Evidence> evidence = d.getList("evidence", String.class, List.of()).stream().map(cipher::decrypt).map(Document::parse)
                .map(e -> new Evidence(e.getString("source"), Instant.parse(e.getString("at")), e.getString("quote"))).toList();
        String caseNumber = d.getString("caseNumber") == null ? "" : d.getString("caseNumber");
        return new Flag(d.getObjectId("_id").toHexString(), new Subject(Optional.ofNullable(d.getString("householdId")),
                Optional.ofNullable(d.getString("caseId")), caseNumber), d.getString("townshipCode"),
                d.getList("signals", String.class, List.of()), evidence, Decision.valueOf(d.getString("decision")),
                d.getDate("createdAt").toInstant(), Optional.ofNullable(d.getString("reviewedBy")));
    }
}
