package io.estafeta.broker.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One control packet as it arrived from the server: its type, the four flag bits of the fixed header, the
 * bytes after the Remaining Length, and the protocol level of the connection it came on (MQTT 5.0 packets
 * carry properties and reason codes where 3.1.1 packets have none). Accessors decode the fields tests look
 * at; each is only meaningful for the packet types named in its comment.
 */
public record MqttPacket(PacketType type, int flags, byte[] body, int protocolLevel) {

    /** The protocol level of MQTT 3.1.1 in CONNECT. */
    public static final int MQTT_3_1_1 = 4;
    /** The protocol level of MQTT 5.0 in CONNECT. */
    public static final int MQTT_5 = 5;

    private static final int QOS_SHIFT = 1;
    private static final int QOS_MASK = 0b11;
    private static final int RETAIN_BIT = 0b0001;
    private static final int DUP_BIT = 0b1000;
    private static final int SESSION_PRESENT_BIT = 0b1;
    private static final int PACKET_ID_LENGTH = 2;

    /** A packet of an MQTT 3.1 / 3.1.1 connection. */
    public MqttPacket(PacketType type, int flags, byte[] body) {
        this(type, flags, body, MQTT_3_1_1);
    }

    private boolean mqtt5() {
        return protocolLevel == MQTT_5;
    }

    /** CONNACK: the Session Present flag. */
    public boolean sessionPresent() {
        requireType(PacketType.CONNACK);
        return (body[0] & SESSION_PRESENT_BIT) != 0;
    }

    /** CONNACK: the Connect Return Code (3.1.1) or Connect Reason Code (5.0). */
    public int returnCode() {
        requireType(PacketType.CONNACK);
        return body[1] & 0xFF;
    }

    /**
     * MQTT 5.0 CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, DISCONNECT, AUTH: the Reason Code, 0x00 (Success,
     * Normal disconnection) when the packet is short enough to leave it out.
     */
    public int reasonCode() {
        requireMqtt5();
        return switch (type) {
            case CONNACK -> returnCode();
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> body.length > PACKET_ID_LENGTH ? body[PACKET_ID_LENGTH] & 0xFF : 0;
            case DISCONNECT, AUTH -> body.length > 0 ? body[0] & 0xFF : 0;
            default -> throw new AssertionError(type + " has no single reason code: " + this);
        };
    }

    /** MQTT 5.0, any packet type that has properties: the properties in the order received. */
    public PacketProperties properties() {
        requireMqtt5();
        int offset = switch (type) {
            case CONNACK -> 2;
            case PUBLISH -> propertiesOffsetOfPublish();
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> PACKET_ID_LENGTH + 1;
            case SUBACK, UNSUBACK -> PACKET_ID_LENGTH;
            case DISCONNECT, AUTH -> 1;
            default -> throw new AssertionError(type + " has no properties: " + this);
        };
        if (offset >= body.length) {
            return PacketProperties.none(); // acknowledgements and DISCONNECT may leave them out
        }
        return PacketProperties.decode(body, offset).properties();
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

    /** PUBLISH: the Topic Name (5.0: empty when a Topic Alias stands for it). */
    public String topic() {
        requireType(PacketType.PUBLISH);
        return new String(body, 2, topicLength(), StandardCharsets.UTF_8);
    }

    /** PUBLISH: the payload. */
    public byte[] payload() {
        requireType(PacketType.PUBLISH);
        int start = mqtt5() ? PacketProperties.decode(body, propertiesOffsetOfPublish()).end()
                : propertiesOffsetOfPublish();
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
        return reasonCodes();
    }

    /** SUBACK (3.1.1 and 5.0), UNSUBACK (5.0): one code per topic filter, in order. */
    public List<Integer> reasonCodes() {
        if (type != PacketType.SUBACK && type != PacketType.UNSUBACK) {
            throw new AssertionError("expected a SUBACK or UNSUBACK but the server sent " + this);
        }
        int start = mqtt5() ? PacketProperties.decode(body, PACKET_ID_LENGTH).end() : PACKET_ID_LENGTH;
        List<Integer> codes = new ArrayList<>();
        for (int i = start; i < body.length; i++) {
            codes.add(body[i] & 0xFF);
        }
        return codes;
    }

    private int propertiesOffsetOfPublish() {
        return 2 + topicLength() + (qos() > 0 ? PACKET_ID_LENGTH : 0);
    }

    private int topicLength() {
        return ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
    }

    private void requireType(PacketType expected) {
        if (type != expected) {
            throw new AssertionError("expected a " + expected + " but the server sent " + this);
        }
    }

    private void requireMqtt5() {
        if (!mqtt5()) {
            throw new AssertionError("reason codes and properties exist in MQTT 5.0 packets only: " + this);
        }
    }

    @Override
    public String toString() {
        if (type == PacketType.PUBLISH) {
            return "PUBLISH[topic=" + topic() + ", qos=" + qos() + ", retain=" + retain() + ", dup=" + dup()
                    + (qos() > 0 ? ", id=" + packetId() : "") + (mqtt5() ? ", properties=" + properties() : "")
                    + ", payload=" + payloadAsString() + "]";
        }
        return type + "[flags=" + Integer.toBinaryString(flags) + ", body=" + HexFormat.of().formatHex(body) + "]";
    }
}
