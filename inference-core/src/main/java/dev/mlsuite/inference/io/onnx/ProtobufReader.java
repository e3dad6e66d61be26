package dev.mlsuite.inference.io.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Minimal reader of the protobuf wire format over a {@link ByteBuffer}.
 *
 * <p>It reads field keys and values one at a time, so callers decode only the messages and
 * fields they need. Length-delimited values are returned as slices of the underlying buffer,
 * without copying. Groups (wire types 3 and 4, deprecated since proto2) are rejected.
 */
final class ProtobufReader {

    static final int WIRE_VARINT = 0;
    static final int WIRE_FIXED64 = 1;
    static final int WIRE_LENGTH_DELIMITED = 2;
    static final int WIRE_FIXED32 = 5;

    private final ByteBuffer buffer;
    private final String source;

    /** Reads the bytes between the buffer's position and limit; {@code source} names the input in errors. */
    ProtobufReader(ByteBuffer buffer, String source) {
        this.buffer = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
        this.source = source;
    }

    boolean hasRemaining() {
        return buffer.hasRemaining();
    }

    /** Reads the next field key; the field number is {@code key >>> 3} and the wire type {@code key & 7}. */
    int readKey() {
        long key = readVarint();
        if (key <= 0 || key > Integer.MAX_VALUE) {
            throw invalid("invalid field key " + key);
        }
        return (int) key;
    }

    long readVarint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (!buffer.hasRemaining()) {
                throw invalid("truncated varint");
            }
            byte b = buffer.get();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw invalid("varint longer than 10 bytes");
    }

    int readFixed32() {
        requireRemaining(4);
        return buffer.getInt();
    }

    long readFixed64() {
        requireRemaining(8);
        return buffer.getLong();
    }

    /** Reads a length-delimited value and returns it as a little-endian slice of the input. */
    ByteBuffer readBytes() {
        long length = readVarint();
        if (length < 0 || length > buffer.remaining()) {
            throw invalid("length-delimited field of " + length + " bytes exceeds the "
                    + buffer.remaining() + " bytes left");
        }
        ByteBuffer slice = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
        slice.limit((int) length);
        buffer.position(buffer.position() + (int) length);
        return slice;
    }

    String readString() {
        ByteBuffer bytes = readBytes();
        byte[] array = new byte[bytes.remaining()];
        bytes.get(array);
        return new String(array, StandardCharsets.UTF_8);
    }

    ProtobufReader readMessage() {
        return new ProtobufReader(readBytes(), source);
    }

    /** Skips the value of a field whose key was just read. */
    void skip(int key) {
        int wireType = key & 7;
        switch (wireType) {
            case WIRE_VARINT -> readVarint();
            case WIRE_FIXED64 -> readFixed64();
            case WIRE_LENGTH_DELIMITED -> readBytes();
            case WIRE_FIXED32 -> readFixed32();
            default -> throw invalid("unsupported wire type " + wireType + " in field " + (key >>> 3));
        }
    }

    /**
     * Reads a repeated int64 field that may be packed (one length-delimited run) or not packed
     * (one varint per key), and appends the values to {@code out}.
     */
    void readInt64s(int key, LongList out) {
        if ((key & 7) == WIRE_LENGTH_DELIMITED) {
            ProtobufReader packed = readMessage();
            while (packed.hasRemaining()) {
                out.add(packed.readVarint());
            }
        } else {
            out.add(readVarint());
        }
    }

    OnnxFormatException invalid(String message) {
        return new OnnxFormatException(source + ": " + message + " at byte " + buffer.position()
                + " of a " + buffer.limit() + "-byte message");
    }

    private void requireRemaining(int bytes) {
        if (buffer.remaining() < bytes) {
            throw invalid("truncated fixed-width field");
        }
    }

    /** Growable list of primitive longs. */
    static final class LongList {
        private long[] values = new long[4];
        private int size;

        void add(long value) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        long[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
