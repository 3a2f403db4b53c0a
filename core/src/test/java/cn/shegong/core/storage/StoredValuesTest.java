package cn.shegong.core.storage;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.DataType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The embedded store's codecs give back what they were given, one after another in a page as H2
 * writes them — also what the wire codec cannot write (kept Java-serialised, so a commit never
 * stops the store) and a document over BSON's 16 MiB (which the server lets a {@code $push} make).
 */
class StoredValuesTest {

    @Test
    void keysAndPositionsComeBackAsTheyWere() {
        List<Object> values = List.of("张三", 7, 1L << 40, 2.5, new ObjectId(), Instant.ofEpochMilli(1_764_000_000_123L),
                new KeyValue("c1", 3, Missing.getInstance()), new KeyValue(new Object[] {null}), Missing.getInstance(),
                new Document("a", 1), UUID.randomUUID(),
                1.5f, new java.util.Date(5)); // the last two: not written by the wire codec
        assertEquals(values, roundTrip(new StoredValues(), values));
    }

    @Test
    void documentsComeBackAsTheyWereTheTooLargeToo() {
        Document small = new Document("_id", new ObjectId()).append("text", "一个人在家").append("list", List.of(1, "二"));
        Document huge = new Document("_id", 1).append("notes", "记".repeat(6 * 1024 * 1024)); // 18 MiB of UTF-8
        Document odd = new Document("_id", 2).append("f", 1.5f);
        List<Document> documents = List.of(small, huge, odd, small);
        assertEquals(documents, roundTrip(new BsonDocuments(), documents));
    }

    private static <T> List<T> roundTrip(DataType<T> type, List<T> values) {
        WriteBuffer out = new WriteBuffer();
        values.forEach(v -> type.write(out, v));
        ByteBuffer in = out.getBuffer().flip();
        List<T> back = values.stream().map(v -> type.read(in)).toList();
        assertEquals(0, in.remaining(), "each value read to its end");
        return back;
    }
}
