package cn.shegong.core.media;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import cn.shegong.core.storage.FieldCipher;
import cn.shegong.core.testing.TestMongo;
import com.mongodb.client.gridfs.GridFSBuckets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract of visit media: sealed files, a case's items, and a download queue that leases. */
class MediaStoreTest {

    @RegisterExtension
    static final TestMongo mongo = new TestMongo();
    MediaStore store;
    com.mongodb.client.MongoDatabase db;
    final Instant t0 = Instant.parse("2026-11-30T02:00:00Z");

    @BeforeEach
    void fresh() {
        db = mongo.fresh("media_test");
        store = new MediaStore(db, new FieldCipher(new byte[32]));
    }

    @Test
    void aFileIsSealedAtRestAndOpensWhole() {
        byte[] photo = "JPEG of 李奶奶's kitchen, phone 13800001234".getBytes(StandardCharsets.UTF_8);
        String id = store.put("m1", "image/jpeg", photo);
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        GridFSBuckets.create(db, "media").downloadToStream(new org.bson.types.ObjectId(id), raw);
        assertFalse(raw.toString(StandardCharsets.UTF_8).contains("13800001234"), "the stored bytes are sealed");
        MediaStore.File file = store.get(id).orElseThrow();
        assertArrayEquals(photo, file.bytes());
        assertEquals("image/jpeg", file.contentType());
        assertTrue(store.get("not-an-id").isEmpty());
    }

    @Test
    void itemsAreQueuedOnceLeasedAndTheirOutcomeRecorded() {
        String item = store.add("case-1", "voice", "MEDIA_1", Optional.of("老人说腿疼"), "赵社工", t0);
        assertEquals("pending", store.items("case-1").get(0).status());
        assertFalse(db.getCollection("case_media").find().first().toJson().contains("腿疼"), "the recognition text is sealed");

        MediaStore.Job job = store.claimDue(t0, Duration.ofMinutes(2)).orElseThrow();
        assertEquals("MEDIA_1", job.mediaId());
        assertTrue(store.claimDue(t0.plusSeconds(60), Duration.ofMinutes(2)).isEmpty(), "leased: nobody else takes it");
        assertEquals(2, store.claimDue(t0.plusSeconds(121), Duration.ofMinutes(2)).orElseThrow().attempts(), "the lease ran out");

        store.fetched("case-1", item, "stored", Optional.of("file-1"));
        store.finish(job.id());
        MediaStore.Item stored = store.items("case-1").get(0);
        assertEquals("stored", stored.status());
        assertEquals(Optional.of("file-1"), stored.fileId());
        assertEquals(Optional.of("老人说腿疼"), stored.recognition());
        assertEquals(0, store.pending());
    }
}
