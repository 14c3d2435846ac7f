package io.estafeta.protocol.codec;

import static io.estafeta.protocol.codec.MqttDecodingException.malformed;
import static io.estafeta.protocol.codec.MqttDecodingException.protocolError;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * A cursor over the bytes of one packet, already wholly in the buffer, that reads MQTT's data types
 * (section 1.5) and never reads past the packet's end: a field that would run past it makes the
 * packet malformed, so a length field can never borrow bytes from the next packet. Reads by absolute
 * index; the buffer's own reader index is left to the decoder.
 */
final class PacketReader {

    private static final int VARIABLE_BYTE_INTEGER_MAX_BYTES = 4;
    private static final int VALUE_BITS_PER_BYTE = 7;
    private static final int VALUE_MASK = 0x7F;
    private static final int CONTINUATION_BIT = 0x80;
    private static final int TWO_BYTES = 2;
    private static final int FOUR_BYTES = 4;
    private static final String PACKET_IDENTIFIER = "the Packet Identifier";

    private final ByteBuf buffer;
    private final int end;
    private int index;
    private boolean mqtt5;

    PacketReader(ByteBuf buffer, int index, int end, boolean mqtt5) {
        this.buffer = buffer;
        this.index = index;
        this.end = end;
        this.mqtt5 = mqtt5;
    }

    /** Switches the statement ids cited in failures; CONNECT learns its version only from its own bytes. */
    void mqtt5(boolean isMqtt5) {
        this.mqtt5 = isMqtt5;
    }

    boolean isMqtt5() {
        return mqtt5;
    }

    int remaining() {
        return end - index;
    }

    boolean hasRemaining() {
        return index < end;
    }

    /** A Byte (section 1.5.1), unsigned. */
    int readByte(Object field) {
        require(1, field);
        return buffer.getUnsignedByte(index++);
    }

    /** A Two Byte Integer (section 1.5.2). */
    int readTwoByteInteger(Object field) {
        require(TWO_BYTES, field);
        int value = buffer.getUnsignedShort(index);
        index += TWO_BYTES;
        return value;
    }

    /**
     * A Packet Identifier: a Two Byte Integer that is never 0 (5.0 [MQTT-2.2.1-3], 3.1.1 [MQTT-2.3.1-1]).
     * Every packet that has one needs a non-zero one, so an acknowledgement of 0 is refused too.
     */
    int readPacketIdentifier() {
        int packetId = readTwoByteInteger(PACKET_IDENTIFIER);
        if (packetId == 0) {
            throw protocolError("Packet Identifier 0 " + (mqtt5 ? "[MQTT-2.2.1-3]" : "[MQTT-2.3.1-1]"));
        }
        return packetId;
    }

    /** A Four Byte Integer (section 1.5.3), as Netty holds it: the same 32 bits in a signed int. */
    int readFourByteInteger(Object field) {
        require(FOUR_BYTES, field);
        int value = buffer.getInt(index);
        index += FOUR_BYTES;
        return value;
    }

    /**
     * A Variable Byte Integer (MQTT 5.0 section 1.5.5): at most four bytes, and in the minimum number of
     * bytes ([MQTT-1.5.5-1]), so a last byte of zero after a continuation is malformed.
     */
    int readVariableByteInteger(Object field) {
        int value = 0;
        for (int i = 0; i < VARIABLE_BYTE_INTEGER_MAX_BYTES; i++) {
            int digit = readByte(field);
            value |= (digit & VALUE_MASK) << (VALUE_BITS_PER_BYTE * i);
            if ((digit & CONTINUATION_BIT) == 0) {
                if (i > 0 && digit == 0) {
                    throw malformed(field + " is not encoded in the minimum number of bytes [MQTT-1.5.5-1]");
                }
                return value;
            }
        }
        throw malformed(field + " is longer than the four bytes of a Variable Byte Integer (section 1.5.5)");
    }

    /**
     * A UTF-8 Encoded String (5.0 section 1.5.4, 3.1.1 section 1.5.3): a Two Byte Integer length, then
     * that many bytes of well-formed UTF-8 without U+0000.
     */
    String readUtf8String(Object field) {
        int length = readLength(field);
        if (length == 0) {
            return "";
        }
        byte[] bytes;
        int offset;
        if (buffer.hasArray()) {
            bytes = buffer.array();
            offset = buffer.arrayOffset() + index;
        } else {
            bytes = new byte[length];
            buffer.getBytes(index, bytes);
            offset = 0;
        }
        int check = StrictUtf8.check(bytes, offset, length);
        if (check == StrictUtf8.NULL_CHARACTER) {
            throw malformed(field + " contains the null character U+0000 "
                    + (mqtt5 ? "[MQTT-1.5.4-2]" : "[MQTT-1.5.3-2]"));
        }
        if (check != StrictUtf8.VALID) {
            throw malformed(field + " is not well-formed UTF-8 (at byte " + check + " of " + length + ") "
                    + (mqtt5 ? "[MQTT-1.5.4-1]" : "[MQTT-1.5.3-1]"));
        }
        index += length;
        return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }

    /** Binary Data (section 1.5.6): a Two Byte Integer length, then that many bytes. */
    byte[] readBinaryData(Object field) {
        int length = readLength(field);
        byte[] bytes = new byte[length];
        buffer.getBytes(index, bytes);
        index += length;
        return bytes;
    }

    /** A reader over the next {@code length} bytes (a property block), which this reader then skips. */
    PacketReader section(int length, Object field) {
        require(length, field);
        PacketReader section = new PacketReader(buffer, index, index + length, mqtt5);
        index += length;
        return section;
    }

    /** The rest of the packet as a retained slice of the buffer: the PUBLISH payload, without a copy. */
    ByteBuf readRetainedRest() {
        ByteBuf rest = buffer.retainedSlice(index, end - index);
        index = end;
        return rest;
    }

    /** The fields must end exactly where the Remaining Length says the packet ends. */
    void expectEnd(String what) {
        if (index != end) {
            throw malformed(what + " is followed by " + (end - index)
                    + " bytes that the Remaining Length counts but no field accounts for");
        }
    }

    /** The Two Byte Integer length of a string or binary field, checked against the bytes left after it. */
    private int readLength(Object field) {
        if (end - index < TWO_BYTES) {
            throw malformed("the length of " + field + " runs past the end of the packet");
        }
        int length = buffer.getUnsignedShort(index);
        index += TWO_BYTES;
        require(length, field);
        return length;
    }

    /** Field names are objects whose text is built only when a failure needs it: nothing is allocated per read. */
    private void require(int bytes, Object field) {
        if (end - index < bytes) {
            throw malformed(field + " runs past the end of the packet (" + bytes + " bytes needed, "
                    + (end - index) + " left)");
        }
    }
}
