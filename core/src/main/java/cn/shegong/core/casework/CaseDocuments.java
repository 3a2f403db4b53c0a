package cn.shegong.core.casework;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import cn.shegong.core.storage.FieldCipher;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

/** How a case is kept in MongoDB: a stored document opened into a {@link Case}, a timeline event, the filter by id. */
final class CaseDocuments {

    private final FieldCipher cipher;
    private final Areas areas;

    CaseDocuments(FieldCipher cipher, Areas areas) {
        this.cipher = cipher;
        this.areas = areas;
    }

    static Bson byId(String id) {
        return Filters.eq("_id", new ObjectId(id));
    }

    /**
     * The case at this version, as one plain filter document ({@code {_id, version}}, never
     * {@code $and}) matching the unique index of the same shape: the embedded store uses only
     * {@code _id} and unique indexes, and scanned every case for each versioned change (17 ms at
     * 100,000 cases; 0.4 ms with this shape and index).
     */
    static Bson atVersion(String id, int version) {
        return new Document("_id", new ObjectId(id)).append("version", version);
    }

    /** Whether this stored case is open and still at {@code version} (checked before a versioned change that requires it open). */
    static boolean openAt(Document d, int version, List<String> open) {
        return d != null && d.getInteger("version", -1) == version && open.contains(d.getString("status"));
    }

    static Document event(Instant at, String kind, String note) {
        return new Document("at", Date.from(at)).append("kind", kind).append("note", note);
    }

    Case toCase(Document d) {
        List<Case.Event> timeline = new ArrayList<>();
        for (Document e : d.getList("timeline", Document.class, List.of())) {
            timeline.add(new Case.Event(e.getDate("at").toInstant(), e.getString("kind"), e.getString("note")));
        }
        return new Case(d.getObjectId("_id").toHexString(), d.getString("number"), d.getString("openid"),
                Category.fromCode(d.getString("category")).orElse(Category.OTHER), d.getBoolean("urgent", false),
                Case.Status.valueOf(d.getString("status")),
                Optional.ofNullable(d.getString("townshipCode")).flatMap(areas::byCode),
                Optional.ofNullable(d.getString("name")).map(cipher::decrypt),
                Optional.ofNullable(d.getString("phone")).map(cipher::decrypt),
                cipher.decrypt(d.getString("description")), d.getBoolean("contactRequested", false),
                d.getDate("createdAt").toInstant(), d.getInteger("version", 0), timeline,
                Optional.ofNullable(d.getInteger("rating")), Optional.ofNullable(d.getString("ratingComment")).map(cipher::decrypt),
                Optional.ofNullable(d.getString("assigneeName")), Optional.ofNullable(d.getString("assigneeId")),
                Optional.ofNullable(d.getDate("firstContactAt")).map(Date::toInstant));
    }
}
