package cn.shegong.core.media;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import cn.shegong.core.storage.FieldCipher;
import com.mongodb.MongoGridFSException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.gridfs.GridFSBucket;
import com.mongodb.client.gridfs.GridFSBuckets;
import com.mongodb.client.gridfs.model.GridFSUploadOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * Photos and voice messages from visits: files in GridFS (bucket {@code media}), sealed with the
 * data key like every other piece of personal data, and the queue of downloads from WeChat that
 * must finish within the 3 days WeChat keeps a media id.
 */
public final class MediaStore {

    /** The author of media a resident sent (staff media names the worker). */
    public static final String RESIDENT = "resident";

    /** A download to do: which media id, for which case's media item. */
    public record Job(String id, String caseId, String itemId, String mediaId, int attempts, Instant createdAt) {
    }

    /** A stored file, opened. */
    public record File(byte[] bytes, String contentType) {
    }

    /** A visit's photo or voice: pending download, stored (with its file id), or lost past WeChat's lifetime. */
    public record Item(String id, String kind, String mediaId, Optional<String> recognition, String author, Instant at,
                       String status, Optional<String> fileId) {
    }

    private final GridFSBucket files;
    private final MongoCollection<Document> jobs;
    /** One document per case ({@code _id} the case id) listing its visit media, so a case page reads it by key. */
    private final MongoCollection<Document> items;
    private final FieldCipher cipher;

    public MediaStore(MongoDatabase db, FieldCipher cipher) {
        this.files = GridFSBuckets.create(db, "media");
        this.jobs = db.getCollection("media_jobs");
        this.items = db.getCollection("case_media");
        this.cipher = cipher;
    }

    /** A photo or voice message of a visit note on the case, queued for download from WeChat; returns the item's id. */
    public String add(String caseId, String kind, String mediaId, Optional<String> recognition, String author, Instant now) {
        String itemId = new ObjectId().toHexString();
        Document m = new Document("id", itemId).append("kind", kind).append("mediaId", mediaId)
                .append("author", author).append("at", Date.from(now)).append("status", "pending");
        recognition.ifPresent(r -> m.append("recognition", cipher.encrypt(r)));
        items.updateOne(Filters.eq("_id", caseId), Updates.push("items", m), new com.mongodb.client.model.UpdateOptions().upsert(true));
        enqueue(caseId, itemId, mediaId, now);
        return itemId;
    }

    public List<Item> items(String caseId) {
        Document d = items.find(Filters.eq("_id", caseId)).first();
        List<Item> out = new ArrayList<>();
        if (d != null) {
            for (Document m : d.getList("items", Document.class, List.of())) {
                out.add(new Item(m.getString("id"), m.getString("kind"), m.getString("mediaId"),
                        Optional.ofNullable(m.getString("recognition")).map(cipher::decrypt), m.getString("author"),
                        m.getDate("at").toInstant(), m.getString("status"), Optional.ofNullable(m.getString("fileId"))));
            }
        }
        return out;
    }

    /** Records the outcome of a download: {@code stored} with the file's id, or {@code lost}. */
    public void fetched(String caseId, String itemId, String status, Optional<String> fileId) {
        items.updateOne(Filters.and(Filters.eq("_id", caseId), Filters.eq("items.id", itemId)), Updates.combine(
                Updates.set("items.$.status", status), fileId.map(f -> Updates.set("items.$.fileId", f)).orElse(Updates.unset("items.$.fileId"))));
    }

    private void enqueue(String caseId, String itemId, String mediaId, Instant now) {
        jobs.insertOne(new Document("_id", new ObjectId()).append("caseId", caseId).append("itemId", itemId).append("mediaId", mediaId)
                .append("attempts", 0).append("createdAt", Date.from(now)).append("nextAt", Date.from(now)));
    }

    /** The most overdue download, leased for {@code lease} and its attempt counted; empty when none is due. */
    public Optional<Job> claimDue(Instant now, Duration lease) {
        Document d = jobs.findOneAndUpdate(Filters.lte("nextAt", Date.from(now)),
                Updates.combine(Updates.set("nextAt", Date.from(now.plus(lease))), Updates.inc("attempts", 1)),
                new FindOneAndUpdateOptions().sort(Sorts.ascending("nextAt")).returnDocument(ReturnDocument.AFTER));
        return Optional.ofNullable(d).map(j -> new Job(j.getObjectId("_id").toHexString(), j.getString("caseId"), j.getString("itemId"),
                j.getString("mediaId"), j.getInteger("attempts", 1), j.getDate("createdAt").toInstant()));
    }

    public void retryAt(String jobId, Instant at) {
        jobs.updateOne(Filters.eq("_id", new ObjectId(jobId)), Updates.set("nextAt", Date.from(at)));
    }

    public void finish(String jobId) {
        jobs.deleteOne(Filters.eq("_id", new ObjectId(jobId)));
    }

    public long pending() {
        return jobs.countDocuments();
    }

    /** Stores a file sealed; returns its id. */
    public String put(String filename, String contentType, byte[] bytes) {
        ObjectId id = files.uploadFromStream(filename, new ByteArrayInputStream(cipher.sealBytes(bytes)),
                new GridFSUploadOptions().metadata(new Document("contentType", contentType)));
        return id.toHexString();
    }

    public Optional<File> get(String fileId) {
        if (!ObjectId.isValid(fileId)) {
            return Optional.empty();
        }
        ObjectId id = new ObjectId(fileId);
        var info = files.find(Filters.eq("_id", id)).first();
        if (info == null) {
            return Optional.empty();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            files.downloadToStream(id, out);
        } catch (MongoGridFSException e) {
            return Optional.empty();
        }
        String type = info.getMetadata() == null ? "application/octet-stream" : info.getMetadata().getString("contentType");
        return Optional.of(new File(cipher.openBytes(out.toByteArray()), type));
    }
}
