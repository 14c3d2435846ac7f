package io.estafeta.broker.store.rocksdb;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a stored value: bytes, unsigned variable-length integers (7 bits a byte, low first, as MQTT's
 * Variable Byte Integer but up to 64 bits), fixed 8-byte big-endian longs, and length-prefixed byte
 * strings. A nullable string or byte string is written with its length plus one, 0 meaning null.
 */
final class RecordWriter {

    private static final int INITIAL_CAPACITY = 64;
    private static final int SEVEN_BITS = 0x7F;
    private static final int CONTINUATION = 0x80;
    private static final int BITS_PER_BYTE = 8;
    private static final int VARINT_SHIFT = 7;

    private byte[] buffer;
    private int size;

    RecordWriter() {
        this(INITIAL_CAPACITY);
    }

    RecordWriter(int expectedSize) {
        buffer = new byte[Math.max(expectedSize, 1)];
    }

    RecordWriter writeByte(int value) {
        ensure(1);
        buffer[size++] = (byte) value;
        return this;
    }

    /** An unsigned (non-negative) number in 1 to 10 bytes. */
    RecordWriter writeVarLong(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative value for an unsigned number: " + value);
        }
        long rest = value;
        while ((rest & ~SEVEN_BITS) != 0) {
            writeByte((int) (rest & SEVEN_BITS) | CONTINUATION);
            rest >>>= VARINT_SHIFT;
        }
        return writeByte((int) rest);
    }

    RecordWriter writeVarInt(int value) {
        return writeVarLong(value);
    }

    /** Eight bytes, big-endian: sorts as unsigned numbers sort, which keys need. */
    RecordWriter writeLong(long value) {
        ensure(Long.BYTES);
        for (int shift = Long.SIZE - BITS_PER_BYTE; shift >= 0; shift -= BITS_PER_BYTE) {
            buffer[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    /** Two bytes, big-endian. */
    RecordWriter writeShort(int value) {
        ensure(Short.BYTES);
        buffer[size++] = (byte) (value >>> BITS_PER_BYTE);
        buffer[size++] = (byte) value;
        return this;
    }

    /** The bytes as they are, without a length. */
    RecordWriter writeRaw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
        return this;
    }

    RecordWriter writeBytes(byte[] bytes) {
        writeVarInt(bytes.length);
        return writeRaw(bytes);
    }

    RecordWriter writeNullableBytes(byte[] bytes) {
        if (bytes == null) {
            return writeVarInt(0);
        }
        writeVarLong(bytes.length + 1L);
        return writeRaw(bytes);
    }

    RecordWriter writeString(String value) {
        return writeBytes(value.getBytes(StandardCharsets.UTF_8));
    }

    RecordWriter writeNullableString(String value) {
        return writeNullableBytes(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    private void ensure(int more) {
        long needed = (long) size + more;
        if (needed > buffer.length) {
            long grown = Math.max(needed, (long) buffer.length * 2);
            buffer = Arrays.copyOf(buffer, (int) Math.min(grown, Integer.MAX_VALUE - BITS_PER_BYTE));
        }
    }
}
