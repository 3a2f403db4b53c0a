package cn.shegong.core.storage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.Unpooled;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * The embedded store's documents on disk as BSON, encoded and decoded by the library's own wire
 * codec, instead of H2's default for an unknown class: Java serialisation, a new object stream
 * per document with every class described again. Each commit writes every document of each page
 * it changed, so this was the largest single cost of the webhook under load (docs/benchmarks.md).
 * <p>
 * What came over the wire goes back over it, so the codec writes what clients store. A document
 * it cannot write — one over BSON's 16 MiB, or holding a value only the server makes (an
 * {@code Instant} finer than a millisecond from {@code $currentDate} is written to the
 * millisecond, as over the wire) — is Java-serialised behind a length of 0, which no BSON
 * document has: H2 stops the whole store on a value it cannot write.
 */
final class BsonDocuments extends BasicDataType<Document> {

    /** The wire decoder's limit. */
    private static final int BSON_MAX = 16 * 1024 * 1024;
    private static final int JAVA = 0;

    /**
     * What a decoded document takes on the heap for each byte of its BSON: every field name is a
     * String of its own, every field a map entry, every value an object. Measured by decoding
     * 50,000 copies (JDK 25, compressed oops): 5.7 for a stored message, 6.3 for a resident's
     * record, 6.7 for a request with its timeline. H2 sizes its page cache by this estimate; at 2,
     * a cache set to a quarter of the heap filled three quarters of it, and a service with 512 MB
     * spent 90 % of its time in full collections once its store held a few thousand requests
     * (docs/benchmarks.md).
     */
    static final int HEAP_PER_BSON_BYTE = 6;

    /** The BSON size of the documents this map reads and writes, a running average. */
    private volatile int averageSize = 256;

    @Override
    public int getMemory(Document document) {
        return averageSize * HEAP_PER_BSON_BYTE;
    }

    @Override
    public void write(WriteBuffer out, Document document) {
        int start = out.position();
        if (!StoredValues.putBson(out, bytes -> BsonEncoder.encodeDocument(document, bytes), BSON_MAX)) {
            out.putInt(JAVA);
            StoredValues.putJava(out, document);
        }
        measured(out.position() - start);
    }

    @Override
    public Document read(ByteBuffer in) {
        int start = in.position();
        int size = in.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(); // a BSON document begins with its length
        Document document;
        if (size == JAVA) {
            in.getInt();
            document = (Document) StoredValues.readJava(in);
        } else {
            document = BsonDecoder.decodeBson(Unpooled.wrappedBuffer(in.slice(start, size)));
            in.position(start + size);
        }
        measured(in.position() - start);
        return document;
    }

    @Override
    public Document[] createStorage(int size) {
        return new Document[size];
    }

    private void measured(int size) {
        averageSize = (averageSize * 15 + size) / 16;
    }
}
