package cn.shegong.core.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import org.bson.Document;

/**
 * Who did what to which record, when and from where: every change, every login, and every view of
 * a sensitive case. Insert-only: nothing in the code updates or deletes an entry.
 */
public final class AuditLog {

    public record Entry(Instant at, String who, String action, String record, String from) {
    }

    private final MongoCollection<Document> audit;

    public AuditLog(MongoDatabase db) {
        this.audit = db.getCollection("audit");
    }

    public void ensureIndexes() {
        audit.createIndex(Indexes.descending("at"));
    }

    public void record(Instant at, String who, String action, String record, String from) {
        audit.insertOne(new Document("at", Date.from(at)).append("who", who).append("action", action)
                .append("record", record).append("from", from));
    }

    public List<Entry> latest(int limit) {
        List<Entry> out = new ArrayList<>();
        audit.find().sort(Sorts.descending("at", "_id")).limit(limit).forEach(d -> out.add(new Entry(d.getDate("at").toInstant(),
                d.getString("who"), d.getString("action"), d.getString("record"), d.getString("from"))));
        return out;
    }
}
