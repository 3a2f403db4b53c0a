package cn.shegong.core.routing;

import java.time.Instant;
import java.util.Date;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import org.bson.Document;

/**
 * The routing rules in force, as their YAML text in one document ({@code routing_rules}, {@code _id}
 * "current"), with who changed them last; the installation's defaults until a city admin saves
 * others. Every replica reads the same document; the parsed rules are kept until its version changes.
 */
public final class RuleStore {

    public record Current(RoutingRules rules, String text, int version, String updatedBy, Instant updatedAt) {
    }

    private final MongoCollection<Document> docs;
    private volatile Current cached;

    public RuleStore(MongoDatabase db) {
        this.docs = db.getCollection("routing_rules");
    }

    public Current current() {
        Document d = docs.find(Filters.eq("_id", "current")).projection(new Document("version", 1)).first();
        int version = d == null ? 0 : d.getInteger("version", 0);
        Current c = cached;
        if (c != null && c.version() == version) {
            return c;
        }
        Document full = docs.find(Filters.eq("_id", "current")).first();
        String text = full == null ? RoutingRules.defaultsText() : full.getString("text");
        c = new Current(RoutingRules.parse(text), text, version, full == null ? "" : full.getString("by"),
                full == null ? Instant.EPOCH : full.getDate("at").toInstant());
        cached = c;
        return c;
    }

    /** Saves new rules when they parse (else {@link IllegalArgumentException} with the reason) and nobody saved since {@code version}. */
    public boolean save(String text, int version, String by, Instant now) {
        RoutingRules.parse(text);
        Document next = new Document("_id", "current").append("text", text).append("version", version + 1).append("by", by)
                .append("at", Date.from(now));
        if (version == 0) {
            try {
                docs.insertOne(next);
                return true;
            } catch (com.mongodb.MongoWriteException e) {
                return false;
            }
        }
        return docs.replaceOne(Filters.and(Filters.eq("_id", "current"), Filters.eq("version", version)), next,
                new ReplaceOptions()).getModifiedCount() == 1;
    }
}
