package cn.shegong.core.storage;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import org.h2.mvstore.WriteBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The page cache is sized by what H2 is told a document takes: told too little, a cache set to a
 * quarter of the heap fills most of it, and the service ends in back-to-back full collections.
 */
class BsonDocumentsTest {

    private static final int COPIES = 20_000;

    @Test
    void aDecodedDocumentIsCountedAtAboutWhatItTakesOnTheHeap() {
        BsonDocuments codec = new BsonDocuments();
        WriteBuffer out = new WriteBuffer();
        codec.write(out, message());
        ByteBuffer stored = out.getBuffer().flip();
        for (int i = 0; i < 32; i++) { // the running average settles on this document's size
            codec.read(stored.duplicate());
        }
        List<Document> kept = new ArrayList<>(COPIES);
        long before = heapAfterCollection();
        for (int i = 0; i < COPIES; i++) {
            kept.add(codec.read(stored.duplicate()));
        }
        long perDocument = (heapAfterCollection() - before) / COPIES;
        long counted = codec.getMemory(kept.getFirst());
        assertTrue(counted >= perDocument * 3 / 4, "counted " + counted + " bytes, takes " + perDocument);
        assertTrue(counted <= perDocument * 2, "counted " + counted + " bytes, takes " + perDocument);
    }

    /** Shaped as a stored message: a dozen short fields, the text encrypted. */
    private static Document message() {
        byte[] sealed = new byte[80];
        new Random(7).nextBytes(sealed);
        return new Document("_id", new ObjectId()).append("openid", "o-6YcN1t5Cq9bq2mYtTQk0Ab3xZk").append("direction", "IN")
                .append("type", "text").append("text", new BinData(sealed)).append("msgId", 24_123_456_789_012L)
                .append("createdAt", Instant.ofEpochMilli(1_764_000_000_000L)).append("storedAt", Instant.ofEpochMilli(1_764_000_000_123L))
                .append("fields", new Document()).append("caseId", "6750a1b2c3d4e5f6a7b8c9d0");
    }

    private static long heapAfterCollection() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc(); // a full collection: what is left is what is reachable
        return memory.getHeapMemoryUsage().getUsed();
    }
}
