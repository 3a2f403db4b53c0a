package cn.shegong.core.casework;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import cn.shegong.core.message.MessageStore;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;

/**
 * Merging a duplicate request into another (a daughter and a neighbour reporting the same person,
 * a resident asking twice): the duplicate's transcript and timeline move to the request kept, which
 * becomes urgent if either was; the duplicate ends (cancelled, "merged into …"), so it is counted
 * once and held to no deadline. Only from the version the staff member saw.
 */
public final class CaseMerge {

    private final MongoCollection<Document> cases;
    private final MessageStore messages;

    public CaseMerge(MongoDatabase db, MessageStore messages) {
        this.cases = db.getCollection("cases");
        this.messages = messages;
    }

    /** The duplicate's messages (also any sent to its resident after the merge) belong to the request kept. */
    public void moveTranscript(Case duplicate, Case into) {
        messages.relink(duplicate.id(), into.id());
    }

    /** False when the duplicate changed since {@code version} or either request has ended. */
    public boolean merge(Case duplicate, int version, Case into, String by, Instant now) {
        if (!duplicate.status().isOpen() || !into.status().isOpen() || duplicate.id().equals(into.id())) {
            return false;
        }
        boolean ended = cases.updateOne(CaseDocuments.atVersion(duplicate.id(), version), Updates.combine(
                Updates.set("status", Case.Status.CANCELLED.name()), Updates.set("mergedInto", into.id()),
                Updates.set("updatedAt", Date.from(now)), Updates.inc("version", 1),
                Updates.push("timeline", CaseDocuments.event(now, "merged_into", into.number())))).getModifiedCount() == 1;
        if (!ended) {
            return false;
        }
        moveTranscript(duplicate, into);
        List<Document> history = duplicate.timeline().stream().map(e -> CaseDocuments.event(e.at(), e.kind(), e.note())).toList();
        cases.updateOne(CaseDocuments.byId(into.id()), Updates.combine(Updates.pushEach("timeline", history),
                Updates.push("timeline", CaseDocuments.event(now, "merged_from", duplicate.number())),
                Updates.set("urgent", into.urgent() || duplicate.urgent()), Updates.set("updatedAt", Date.from(now)), Updates.inc("version", 1)));
        return true;
    }
}
