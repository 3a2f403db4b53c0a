package cn.shegong.core.storage;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.logging.Logger;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;

/**
 * The embedded store's keys (a document's {@code _id}, an index's key) and an index's positions
 * on disk as BSON values, ordered as H2 orders them. H2 Java-serialises a value of a class it does
 * not know — the library's {@code ObjectId} and {@code KeyValue} — with a new object stream each,
 * and every commit writes every key of each page it changed (docs/benchmarks.md).
 * <p>
 * Each value is a tag and then: for a BSON value, its type and its wire encoding; for an index
 * key, its number of parts and each part in turn; nothing for the library's "missing"; for
 * anything the wire codec cannot write, its Java serialisation (a value H2 could not write would
 * stop the store).
 */
class StoredValues extends ObjectDataType {

    private static final Logger LOG = Logger.getLogger(StoredValues.class.getName());
    private static final byte VALUE = 0, KEY = 1, MISSING = 2, JAVA = 3;

    @Override
    public void write(WriteBuffer out, Object value) {
        if (!putBson(out, bytes -> encode(value, bytes), Integer.MAX_VALUE)) {
            out.put(JAVA);
            putJava(out, value);
        }
    }

    @Override
    public Object read(ByteBuffer in) {
        if (in.get(in.position()) == JAVA) {
            in.get();
            return readJava(in);
        }
        ByteBuf bytes = Unpooled.wrappedBuffer(in.slice());
        Object value = decode(bytes);
        in.position(in.position() + bytes.readerIndex());
        return value;
    }

    /** H2 sizes its page cache by this (its own guess for a class it does not know is a running average of serialised sizes). */
    @Override
    public int getMemory(Object value) {
        return switch (value) {
            case KeyValue key -> 32 + key.stream().mapToInt(this::getMemory).sum();
            case String text -> super.getMemory(text);
            case null -> 0;
            default -> 48;
        };
    }

    /**
     * Writes what {@code encode} puts into a buffer, if it can and it is at most {@code max} bytes;
     * false (nothing written) when it cannot.
     */
    static boolean putBson(WriteBuffer out, Consumer<ByteBuf> encode, int max) {
        ByteBuf bytes = Unpooled.buffer(64);
        try {
            encode.accept(bytes);
            if (bytes.readableBytes() > max) {
                return false;
            }
            out.put(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes());
            return true;
        } catch (RuntimeException e) { // a value the wire codec does not know
            LOG.fine(() -> "a stored value is Java-serialised: " + e.getClass().getSimpleName());
            return false;
        } finally {
            bytes.release();
        }
    }

    static void putJava(WriteBuffer out, Object value) {
        byte[] java = serialize(value);
        out.putVarInt(java.length).put(java);
    }

    static Object readJava(ByteBuffer in) {
        byte[] java = new byte[DataUtils.readVarInt(in)];
        in.get(java);
        return deserialize(java);
    }

    private static void encode(Object value, ByteBuf out) {
        switch (value) {
            case KeyValue key -> {
                out.writeByte(KEY);
                out.writeIntLE(key.size());
                key.forEach(part -> encode(part, out));
            }
            case Missing m -> out.writeByte(MISSING);
            case null, default -> {
                byte type = BsonEncoder.determineType(value);
                out.writeByte(VALUE);
                out.writeByte(type);
                BsonEncoder.encodeValue(type, value, out);
            }
        }
    }

    private static Object decode(ByteBuf in) {
        byte tag = in.readByte();
        return switch (tag) {
            case VALUE -> BsonDecoder.decodeValue(in.readByte(), in);
            case KEY -> {
                Object[] parts = new Object[in.readIntLE()];
                for (int i = 0; i < parts.length; i++) {
                    parts[i] = decode(in);
                }
                yield new KeyValue(parts);
            }
            case MISSING -> Missing.getInstance();
            default -> throw DataUtils.newMVStoreException(DataUtils.ERROR_FILE_CORRUPT, "unknown stored value tag {0}", tag);
        };
    }
}
