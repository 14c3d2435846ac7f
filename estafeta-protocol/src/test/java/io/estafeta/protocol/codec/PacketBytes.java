package io.estafeta.protocol.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds packet bytes by hand, field by field, so that a test can break exactly one rule. */
final class PacketBytes {

    private static final int VALUE_MASK = 0x7F;
    private static final int CONTINUATION_BIT = 0x80;
    private static final int BITS_PER_DIGIT = 7;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static PacketBytes body() {
        return new PacketBytes();
    }

    /** A whole packet: the first byte, the Remaining Length of {@code body} (minimally encoded), the body. */
    static byte[] packet(int firstByte, PacketBytes body) {
        byte[] content = body.toByteArray();
        return new PacketBytes().bytes(firstByte).variableByteInteger(content.length).raw(content).toByteArray();
    }

    PacketBytes bytes(int... values) {
        for (int value : values) {
            out.write(value);
        }
        return this;
    }

    PacketBytes raw(byte[] values) {
        out.writeBytes(values);
        return this;
    }

    PacketBytes twoByteInteger(int value) {
        return bytes(value >>> 8, value);
    }

    PacketBytes fourByteInteger(int value) {
        return bytes(value >>> 24, value >>> 16, value >>> 8, value);
    }

    PacketBytes variableByteInteger(int value) {
        int rest = value;
        do {
            int digit = rest & VALUE_MASK;
            rest >>>= BITS_PER_DIGIT;
            out.write(rest > 0 ? digit | CONTINUATION_BIT : digit);
        } while (rest > 0);
        return this;
    }

    /** A UTF-8 Encoded String: its length, then its UTF-8 bytes. */
    PacketBytes utf8(String value) {
        byte[] encoded = value.getBytes(StandardCharsets.UTF_8);
        return twoByteInteger(encoded.length).raw(encoded);
    }

    /** A string field holding exactly these bytes, well-formed UTF-8 or not. */
    PacketBytes stringOfBytes(int... values) {
        twoByteInteger(values.length);
        return bytes(values);
    }

    /** A property block: its Property Length, then the properties. */
    PacketBytes properties(PacketBytes properties) {
        byte[] content = properties.toByteArray();
        return variableByteInteger(content.length).raw(content);
    }

    /** An empty property block. */
    PacketBytes noProperties() {
        return bytes(0);
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
