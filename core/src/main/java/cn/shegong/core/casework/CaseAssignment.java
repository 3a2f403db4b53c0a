package cn.shegong.core.casework;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;

/** Where a request goes: assigned by staff or by the routing rules, or its place set; each change at the version seen. */
public final class CaseAssignment {

    private final MongoCollection<Document> cases;
    private final CaseDocuments docs;

    CaseAssignment(MongoCollection<Document> cases, CaseDocuments docs) {
        this.cases = cases;
        this.docs = docs;
    }

    /**
     * Assigns (or reassigns) to a station and optionally one of its workers, if nobody changed the
     * case since {@code version}. The timeline note names the worker (staff names are not sensitive).
     */
    public boolean assign(String id, int version, String stationCode, Optional<String> workerId, Optional<String> workerName,
                          Instant now) {
        Bson update = assignment(stationCode, workerId, workerName, List.of(CaseDocuments.event(now, "assigned", workerName.orElse(""))), now);
        return cases.updateOne(CaseDocuments.atVersion(id, version), update).getModifiedCount() == 1;
    }

    /**
     * As {@link #assign}, by the routing rule named {@code rule}, which the timeline records after
     * the assignment; in one write that returns the case as it now is (empty: it changed meanwhile).
     */
    public Optional<Case> route(String id, int version, String stationCode, Optional<String> workerId, Optional<String> workerName,
                                String rule, Instant now) {
        Bson update = assignment(stationCode, workerId, workerName,
                List.of(CaseDocuments.event(now, "assigned", workerName.orElse("")), CaseDocuments.event(now, "routed", rule)), now);
        return Optional.ofNullable(cases.findOneAndUpdate(CaseDocuments.atVersion(id, version), update,
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER))).map(docs::toCase);
    }

    private static Bson assignment(String stationCode, Optional<String> workerId, Optional<String> workerName, List<Document> events,
                                   Instant now) {
        List<Bson> sets = new ArrayList<>(List.of(Updates.set("status", Case.Status.ASSIGNED.name()),
                Updates.set("stationCode", stationCode), Updates.set("updatedAt", Date.from(now)), Updates.inc("version", 1),
                Updates.pushEach("timeline", events)));
        sets.add(workerId.map(w -> Updates.set("assigneeId", w)).orElse(Updates.unset("assigneeId")));
        sets.add(workerName.map(w -> Updates.set("assigneeName", w)).orElse(Updates.unset("assigneeName")));
        return Updates.combine(sets);
    }

    /** Sets or corrects the place of a request (one whose township was unknown waits for it to be routed). */
    public boolean setPlace(String id, int version, Areas.Township township, String by, Instant now) {
        return cases.updateOne(CaseDocuments.atVersion(id, version), Updates.combine(
                Updates.set("townshipCode", township.code()), Updates.set("countyCode", township.countyCode()),
                Updates.set("updatedAt", Date.from(now)), Updates.inc("version", 1),
                Updates.push("timeline", CaseDocuments.event(now, "place_set", township.county() + township.name())))).getModifiedCount() == 1;
    }
}
