package io.estafeta.protocol.codec;

import static io.estafeta.protocol.codec.MqttDecodingException.malformed;
import static io.estafeta.protocol.codec.MqttDecodingException.protocolError;

import io.estafeta.protocol.codec.MqttPacketDecoder.Peer;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;

/**
 * The first byte of a packet: its type (bits 7-4) and its flags (bits 3-0), checked as soon as that byte
 * has arrived, before the Remaining Length and long before the body.
 */
final class FixedHeaderRules {

    private static final int TYPE_SHIFT = 4;
    private static final int FLAGS_MASK = 0x0F;
    private static final int DUP_FLAG = 0x08;
    private static final int QOS_SHIFT = 1;
    private static final int QOS_MASK = 0x03;
    private static final int RETAIN_FLAG = 0x01;
    private static final int INVALID_QOS = 3;
    /** The reserved flags 0010 of PUBREL, SUBSCRIBE, UNSUBSCRIBE ([MQTT-3.6.1-1], [MQTT-3.8.1-1], [MQTT-3.10.1-1]). */
    private static final int FLAGS_0010 = 0x02;
    private static final int RESERVED_TYPE = 0;
    /** A fifth bit above the four flags, so that their binary text keeps its leading zeros. */
    private static final int FLAG_BITS_MARKER = 0x10;
    private static final MqttMessageType[] TYPES = new MqttMessageType[MqttMessageType.AUTH.value() + 1];

    static {
        for (MqttMessageType type : MqttMessageType.values()) {
            TYPES[type.value()] = type;
        }
    }

    private FixedHeaderRules() {
    }

    /**
     * The packet type of a first byte whose flags are valid for that type, in this protocol version, from
     * this sender.
     */
    static MqttMessageType check(int firstByte, MqttVersion version, Peer sender) {
        int typeValue = firstByte >>> TYPE_SHIFT;
        int flags = firstByte & FLAGS_MASK;
        boolean mqtt5 = version == MqttVersion.MQTT_5;
        if (typeValue == RESERVED_TYPE) {
            throw malformed("packet type 0 is reserved (section 2.1.2)");
        }
        MqttMessageType type = TYPES[typeValue];
        if (type == MqttMessageType.AUTH && !mqtt5) {
            throw malformed("packet type 15 is reserved before MQTT 5.0 (MQTT 3.1.1 section 2.2.1); "
                    + "AUTH needs MQTT 5.0");
        }
        switch (type) {
            case PUBLISH -> checkPublishFlags(flags, mqtt5);
            case PUBREL -> requireFlags(type, flags, FLAGS_0010, "[MQTT-3.6.1-1]");
            case SUBSCRIBE -> requireFlags(type, flags, FLAGS_0010, "[MQTT-3.8.1-1]");
            case UNSUBSCRIBE -> requireFlags(type, flags, FLAGS_0010, "[MQTT-3.10.1-1]");
            case DISCONNECT -> requireFlags(type, flags, 0, "[MQTT-3.14.1-1]");
            case AUTH -> requireFlags(type, flags, 0, "[MQTT-3.15.1-1]");
            default -> requireFlags(type, flags, 0, mqtt5 ? "[MQTT-2.1.3-1]" : "[MQTT-2.2.2-1]");
        }
        checkDirection(type, sender);
        return type;
    }

    /** The fixed header Netty's decoder would build for a first byte that passed {@link #check}. */
    static MqttFixedHeader fixedHeader(MqttMessageType type, int firstByte, int remainingLength) {
        MqttQoS qos = MqttQoS.valueOf((firstByte >>> QOS_SHIFT) & QOS_MASK);
        boolean dup = (firstByte & DUP_FLAG) != 0;
        boolean retain = (firstByte & RETAIN_FLAG) != 0;
        return new MqttFixedHeader(type, dup, qos, retain, remainingLength);
    }

    private static void checkPublishFlags(int flags, boolean mqtt5) {
        int qos = (flags >>> QOS_SHIFT) & QOS_MASK;
        if (qos == INVALID_QOS) {
            throw malformed("PUBLISH with both QoS bits set [MQTT-3.3.1-4]");
        }
        if (qos == 0 && (flags & DUP_FLAG) != 0) {
            // The DUP flag MUST be 0 for QoS 0 (5.0 and 3.1.1 [MQTT-3.3.1-2]); a flag the type does not
            // allow is a Malformed Packet (5.0 [MQTT-2.1.3-1]).
            throw malformed("PUBLISH with QoS 0 and the DUP flag set [MQTT-3.3.1-2]"
                    + (mqtt5 ? "[MQTT-2.1.3-1]" : ""));
        }
    }

    private static void requireFlags(MqttMessageType type, int flags, int expected, String statement) {
        if (flags != expected) {
            throw malformed(type + " with fixed header flags " + bits(flags) + ", not the reserved " + bits(expected)
                    + " " + statement);
        }
    }

    /** Packets only a server sends, or only a client sends (section 2.1.2, "Direction of flow"). */
    private static void checkDirection(MqttMessageType type, Peer sender) {
        boolean serverOnly = switch (type) {
            case CONNACK, SUBACK, UNSUBACK, PINGRESP -> true;
            default -> false;
        };
        boolean clientOnly = switch (type) {
            case CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ -> true;
            default -> false;
        };
        if (serverOnly && sender == Peer.CLIENT) {
            throw protocolError(type + " is sent only by a server, but came from a client (section 2.1.2)");
        }
        if (clientOnly && sender == Peer.SERVER) {
            throw protocolError(type + " is sent only by a client, but came from a server (section 2.1.2)");
        }
    }

    /** The four flag bits, leading zeros included. */
    private static String bits(int flags) {
        return Integer.toBinaryString(flags | FLAG_BITS_MARKER).substring(1);
    }
}
