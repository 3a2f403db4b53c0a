package cn.shegong.core.casework;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * Which cases belong to a resident, kept on one document per resident ({@code _id} = openid, the
 * case ids oldest first), so the hot lookups — "does this person have an open case?" on most
 * messages, "my cases" on 进度 — are reads by {@code _id}: fast on MongoDB and on the embedded
 * store alike, where a query on {@code cases.openid} scans every case (shared/deps.md, trap 13).
 */
final class ResidentCases {

    private static final String BACKFILLED = "resident_cases_v1";

    private final MongoCollection<Document> pointers;
    private final MongoCollection<Document> meta;
    private final MongoCollection<Document> cases;

    ResidentCases(MongoDatabase db, MongoCollection<Document> cases) {
        this.pointers = db.getCollection("resident_cases");
        this.meta = db.getCollection("meta");
        this.cases = cases;
    }

    void add(String openid, ObjectId caseId) {
        pointers.updateOne(Filters.eq("_id", openid), Updates.addToSet("cases", caseId), new UpdateOptions().upsert(true));
    }

    List<ObjectId> newestFirst(String openid) {
        Document d = pointers.find(Filters.eq("_id", openid)).first();
        List<ObjectId> ids = d == null ? new ArrayList<>() : new ArrayList<>(d.getList("cases", ObjectId.class));
        Collections.reverse(ids);
        return ids;
    }

    /** Once per database: builds the pointers for cases opened before they existed. */
    void backfill() {
        if (meta.find(Filters.eq("_id", BACKFILLED)).first() != null) {
            return;
        }
        cases.find().projection(Projections.include("openid")).sort(Sorts.ascending("createdAt", "_id"))
                .forEach(d -> add(d.getString("openid"), d.getObjectId("_id")));
        meta.updateOne(Filters.eq("_id", BACKFILLED), Updates.set("done", true), new UpdateOptions().upsert(true));
    }
}
