package io.estafeta.broker.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One control packet as it arrived from the server: its type, the four flag bits of the fixed header and
 * the bytes after the Remaining Length. Accessors decode the fields tests look at; each is only meaningful
 * for the packet types named in its comment.
 */
public record MqttPacket(PacketType type, int flags, byte[] body) {

    private static final int QOS_SHIFT = 1;
    private static final int QOS_MASK = 0b11;
    private static final int RETAIN_BIT = 0b0001;
    private static final int DUP_BIT = 0b1000;
    private static final int SESSION_PRESENT_BIT = 0b1;

    /** CONNACK: the Session Present flag. */
    public boolean sessionPresent() {
        requireType(PacketType.CONNACK);
        return (body[0] & SESSION_PRESENT_BIT) != 0;
    }

    /** CONNACK: the Connect Return Code. */
    public int returnCode() {
        requireType(PacketType.CONNACK);
        return body[1] & 0xFF;
    }

    /** PUBLISH: the QoS bits of the fixed header. */
    public int qos() {
        requireType(PacketType.PUBLISH);
        return (flags >> QOS_SHIFT) & QOS_MASK;
    }

    /** PUBLISH: the RETAIN flag. */
    public boolean retain() {
        requireType(PacketType.PUBLISH);
        return (flags & RETAIN_BIT) != 0;
    }

    /** PUBLISH: the DUP flag. */
    public boolean dup() {
        requireType(PacketType.PUBLISH);
        return (flags & DUP_BIT) != 0;
    }

    /** PUBLISH: the Topic Name. */
    public String topic() {
        requireType(PacketType.PUBLISH);
        return new String(body, 2, topicLength(), StandardCharsets.UTF_8);
    }

    /** PUBLISH: the payload. */
    public byte[] payload() {
        requireType(PacketType.PUBLISH);
        int start = 2 + topicLength() + (qos() > 0 ? 2 : 0);
        byte[] payload = new byte[body.length - start];
        System.arraycopy(body, start, payload, 0, payload.length);
        return payload;
    }

    /** PUBLISH: the payload as UTF-8 text. */
    public String payloadAsString() {
        return new String(payload(), StandardCharsets.UTF_8);
    }

    /** PUBLISH with QoS above 0, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK: the Packet Identifier. */
    public int packetId() {
        int offset = 0;
        if (type == PacketType.PUBLISH) {
            if (qos() == 0) {
                throw new AssertionError("a QoS 0 PUBLISH has no packet identifier: " + this);
            }
            offset = 2 + topicLength();
        }
        return ((body[offset] & 0xFF) << 8) | (body[offset + 1] & 0xFF);
    }

    /** SUBACK: one return code per topic filter of the SUBSCRIBE, in order. */
    public List<Integer> returnCodes() {
        requireType(PacketType.SUBACK);
        List<Integer> codes = new ArrayList<>();
        for (int i = 2; i < body.length; i++) {
            codes.add(body[i] & 0xFF);
        }
        return codes;
    }

    private int topicLength() {
        return ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
    }

    private void requireType(PacketType expected) {
        if (type != expected) {
            throw new AssertionError("expected a " + expected + " but the server sent " + this);
        }
    }

    @Override
    public String toString() {
        if (type == PacketType.PUBLISH) {
            return "PUBLISH[topic=" + topic() + ", qos=" + qos() + ", retain=" + retain() + ", dup=" + dup()
                    + (qos() > 0 ? ", id=" + packetId() : "") + ", payload=" + payloadAsString() + "]";
        }
        return type + "[flags=" + Integer.toBinaryString(flags) + ", body=" + HexFormat.of().formatHex(body) + "]";
    }
}
