package io.estafeta.broker.store.rocksdb;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads what {@link RecordWriter} wrote. Every read checks the bounds: a truncated or garbled value is a
 * {@link MalformedRecordException}, never an exception from deep inside the JDK or a wrong value.
 */
final class RecordReader {

    private static final int SEVEN_BITS = 0x7F;
    private static final int CONTINUATION = 0x80;
    private static final int BYTE_MASK = 0xFF;
    private static final int BITS_PER_BYTE = 8;
    private static final int VARINT_SHIFT = 7;
    private static final int MAX_VARLONG_SHIFT = 63;

    private final byte[] data;
    private final String what;
    private int position;

    /** @param what what the bytes are, for the message of a {@link MalformedRecordException} */
    RecordReader(byte[] data, String what) {
        this(data, 0, what);
    }

    RecordReader(byte[] data, int offset, String what) {
        this.data = data;
        this.position = offset;
        this.what = what;
    }

    int readByte() {
        require(1);
        return data[position++] & BYTE_MASK;
    }

    long readVarLong() {
        long value = 0;
        int shift = 0;
        while (true) {
            int next = readByte();
            value |= (long) (next & SEVEN_BITS) << shift;
            if ((next & CONTINUATION) == 0) {
                if (value < 0) {
                    throw malformed("a number out of range");
                }
                return value;
            }
            shift += VARINT_SHIFT;
            if (shift > MAX_VARLONG_SHIFT) {
                throw malformed("a number longer than 10 bytes");
            }
        }
    }

    int readVarInt() {
        long value = readVarLong();
        if (value > Integer.MAX_VALUE) {
            throw malformed("a number out of range: " + value);
        }
        return (int) value;
    }

    long readLong() {
        require(Long.BYTES);
        long value = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            value = (value << BITS_PER_BYTE) | (data[position++] & BYTE_MASK);
        }
        return value;
    }

    int readShort() {
        require(Short.BYTES);
        int value = ((data[position] & BYTE_MASK) << BITS_PER_BYTE) | (data[position + 1] & BYTE_MASK);
        position += Short.BYTES;
        return value;
    }

    byte[] readRaw(int length) {
        require(length);
        byte[] bytes = Arrays.copyOfRange(data, position, position + length);
        position += length;
        return bytes;
    }

    byte[] readBytes() {
        return readRaw(readVarInt());
    }

    byte[] readNullableBytes() {
        int lengthPlusOne = readVarInt();
        return lengthPlusOne == 0 ? null : readRaw(lengthPlusOne - 1);
    }

    String readString() {
        int length = readVarInt();
        require(length);
        String value = new String(data, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    String readNullableString() {
        byte[] bytes = readNullableBytes();
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    int position() {
        return position;
    }

    boolean atEnd() {
        return position == data.length;
    }

    /** A value must end where its last field ends: trailing bytes mean it is not what we think it is. */
    void requireEnd() {
        if (!atEnd()) {
            throw malformed((data.length - position) + " unexpected bytes at the end");
        }
    }

    MalformedRecordException malformed(String problem) {
        return new MalformedRecordException(what + ": " + problem);
    }

    private void require(int length) {
        if (length < 0 || length > data.length - position) {
            throw malformed("ends early (needs " + length + " more bytes at offset " + position + " of "
                    + data.length + ")");
        }
    }
}
