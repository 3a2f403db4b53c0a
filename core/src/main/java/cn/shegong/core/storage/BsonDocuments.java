package cn.shegong.core.storage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * The embedded store's documents on disk as BSON, encoded and decoded by the library's own wire
 * codec, instead of H2's default for an unknown class: Java serialisation, a new object stream
 * per document with every class described again. Each commit writes every document of each page
 * it changed, so this was the largest single cost of the webhook under load (docs/benchmarks.md).
 * Every value a stored document can hold came over the wire and goes back over it, so the wire
 * codec round-trips all of them.
 */
final class BsonDocuments extends BasicDataType<Document> {

    static final BsonDocuments INSTANCE = new BsonDocuments();

    /** H2 sizes its page cache by this; like its own estimate for serialised objects, a running average. */
    private volatile int averageSize = 256;

    private BsonDocuments() {
    }

    @Override
    public int getMemory(Document document) {
        return averageSize * 2; // decoded on the heap, a document takes about twice its BSON
    }

    @Override
    public void write(WriteBuffer out, Document document) {
        ByteBuf bson = Unpooled.buffer(averageSize + 64);
        try {
            BsonEncoder.encodeDocument(document, bson);
            int size = bson.readableBytes();
            out.put(bson.array(), bson.arrayOffset() + bson.readerIndex(), size);
            averageSize = (averageSize * 15 + size) / 16;
        } finally {
            bson.release();
        }
    }

    @Override
    public Document read(ByteBuffer in) {
        int size = in.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(); // a BSON document begins with its length
        ByteBuf bson = Unpooled.wrappedBuffer(in.slice(in.position(), size));
        in.position(in.position() + size);
        return BsonDecoder.decodeBson(bson);
    }

    @Override
    public Document[] createStorage(int size) {
        return new Document[size];
    }
}
