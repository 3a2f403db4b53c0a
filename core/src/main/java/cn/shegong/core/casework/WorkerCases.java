package cn.shegong.core.casework;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * What a worker does to cases from WeChat, on the same collection as {@link CaseStore}: take one
 * (only an open case, only from the version seen), send it back, record the first contact, and
 * list their open cases and their station's unassigned ones.
 */
public final class WorkerCases {

    private static final List<String> OPEN = Case.Status.open().stream().map(Enum::name).toList();

    private final MongoCollection<Document> cases;
    private final CaseDocuments docs;

    WorkerCases(MongoCollection<Document> cases, CaseDocuments docs) {
        this.cases = cases;
        this.docs = docs;
    }

    /** The worker takes the case on (it was assigned to them, or waiting unassigned at their station). */
    public boolean accept(String id, int version, String workerId, String workerName, String stationCode, Instant now) {
        if (!openAt(id, version)) {
            return false;
        }
        return cases.updateOne(CaseDocuments.atVersion(id, version), Updates.combine(
                Updates.set("status", Case.Status.IN_PROGRESS.name()), Updates.set("assigneeId", workerId),
                Updates.set("assigneeName", workerName), Updates.set("stationCode", stationCode), Updates.set("acceptedAt", Date.from(now)),
                Updates.set("updatedAt", Date.from(now)), Updates.inc("version", 1),
                Updates.push("timeline", CaseDocuments.event(now, "accepted", workerName)))).getModifiedCount() == 1;
    }

    /**
     * The worker sends the case back to the station's inbox (the reason goes in a note, being free
     * text). Sent back a second time, it goes up to the county, with its history on the timeline.
     */
    public boolean sendBack(String id, int version, String workerName, Instant now) {
        if (!openAt(id, version)) {
            return false;
        }
        Document after = cases.findOneAndUpdate(CaseDocuments.atVersion(id, version),
                Updates.combine(Updates.set("status", Case.Status.NEW.name()), Updates.unset("assigneeId"), Updates.unset("assigneeName"),
                        Updates.inc("sentBack", 1), Updates.set("updatedAt", Date.from(now)), Updates.inc("version", 1),
                        Updates.push("timeline", CaseDocuments.event(now, "sent_back", workerName))),
                new com.mongodb.client.model.FindOneAndUpdateOptions().returnDocument(com.mongodb.client.model.ReturnDocument.AFTER));
        if (after == null) {
            return false;
        }
        if (after.getInteger("sentBack", 0) == 2) {
            cases.updateOne(CaseDocuments.byId(id), Updates.push("timeline", CaseDocuments.event(now, "escalated_to_county", "sent_back_twice")));
        }
        return true;
    }

    /** Open at this version (read by key; the update that follows names the version, so nothing changes in between unnoticed). */
    private boolean openAt(String id, int version) {
        return CaseDocuments.openAt(cases.find(CaseDocuments.byId(id)).projection(new Document("version", 1).append("status", 1)).first(),
                version, OPEN);
    }

    /** The worker reached the person: the first time counts for the promise we made (one working day). */
    public void recordContact(String id, String workerName, Instant now) {
        cases.updateOne(Filters.and(CaseDocuments.byId(id), Filters.exists("firstContactAt", false)), Updates.set("firstContactAt", Date.from(now)));
        cases.updateOne(CaseDocuments.byId(id), Updates.combine(Updates.push("timeline", CaseDocuments.event(now, "contacted", workerName)),
                Updates.set("updatedAt", Date.from(now))));
    }

    /** Open cases assigned to the worker, urgent first, then oldest first. */
    public List<Case> openAssignedTo(String workerId) {
        return open(Filters.eq("assigneeId", workerId));
    }

    /** Open cases of a station that nobody has yet, urgent first, then oldest first. */
    public List<Case> openUnassigned(String townshipCode) {
        return open(Filters.and(Filters.eq("townshipCode", townshipCode), Filters.exists("assigneeId", false)));
    }

    private List<Case> open(Bson filter) {
        List<Case> out = new ArrayList<>();
        cases.find(Filters.and(filter, Filters.in("status", OPEN))).sort(Sorts.orderBy(Sorts.descending("urgent"),
                Sorts.ascending("createdAt"))).limit(50).forEach(d -> out.add(docs.toCase(d)));
        return out;
    }
}
