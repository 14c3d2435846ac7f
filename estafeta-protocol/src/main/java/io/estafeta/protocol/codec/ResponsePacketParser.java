package io.estafeta.protocol.codec;

import static io.estafeta.protocol.codec.MqttDecodingException.malformed;
import static io.estafeta.protocol.codec.MqttDecodingException.protocolError;

import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageFactory;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;

/**
 * The packets made of a reason code and properties, or of nothing at all: CONNACK, the four QoS
 * acknowledgements PUBACK, PUBREC, PUBREL and PUBCOMP, DISCONNECT, AUTH, PINGREQ and PINGRESP.
 *
 * <p>MQTT 5.0 lets the reason code and properties be left out when the code is 0 and there are no
 * properties (sections 3.4.2.1, 3.14.2.1, 3.15.2.1); MQTT 3.1.1 has neither, so its acknowledgements are
 * exactly a Packet Identifier and its DISCONNECT is empty. The variable headers are the ones Netty's
 * decoder builds, short forms included (reason code 0, no properties).
 */
final class ResponsePacketParser {

    private static final int SESSION_PRESENT_FLAG = 0x01;
    /** Bits 7-1 of the Connect Acknowledge Flags are reserved ([MQTT-3.2.2-1]). */
    private static final int CONNACK_RESERVED_FLAGS = 0xFE;
    private static final byte SUCCESS = 0;

    private static final String ACKNOWLEDGE_FLAGS = "the Connect Acknowledge Flags";
    private static final String REASON_CODE = "the Reason Code";

    private ResponsePacketParser() {
    }

    static MqttMessage parseConnack(PacketReader reader, PacketInProgress packet) {
        int flags = reader.readByte(ACKNOWLEDGE_FLAGS);
        if ((flags & CONNACK_RESERVED_FLAGS) != 0) {
            throw malformed("CONNACK with reserved Connect Acknowledge Flags set [MQTT-3.2.2-1]");
        }
        int code = reader.readByte(REASON_CODE);
        boolean mqtt5 = packet.isMqtt5();
        if (!(mqtt5 ? ReasonCodeTables.CONNACK_5 : ReasonCodeTables.CONNACK_3)[code]) {
            throw protocolError(String.format("CONNACK with the unknown %s 0x%02X %s",
                    mqtt5 ? "reason code" : "return code", code, mqtt5 ? "[MQTT-3.2.2-8]" : "(section 3.2.2.3)"));
        }
        MqttProperties properties = mqtt5
                ? PropertiesParser.read(reader, PropertyContext.CONNACK, packet.sender())
                : MqttProperties.NO_PROPERTIES;
        reader.expectEnd("CONNACK");
        MqttConnAckVariableHeader variableHeader = new MqttConnAckVariableHeader(
                MqttConnectReturnCode.valueOf((byte) code), (flags & SESSION_PRESENT_FLAG) != 0, properties);
        return MqttMessageFactory.newMessage(packet.fixedHeader(), variableHeader, null);
    }

    /** PUBACK, PUBREC, PUBREL or PUBCOMP. */
    static MqttMessage parsePublishResponse(PacketReader reader, PacketInProgress packet) {
        MqttMessageType type = packet.fixedHeader().messageType();
        int packetId = reader.readPacketIdentifier();
        byte reasonCode = SUCCESS;
        MqttProperties properties = MqttProperties.NO_PROPERTIES;
        if (packet.isMqtt5() && reader.hasRemaining()) {
            int code = reader.readByte(REASON_CODE);
            if (!allowedPublishResponseCodes(type)[code]) {
                throw protocolError(String.format("%s with the unknown reason code 0x%02X %s", type, code,
                        publishResponseCodeStatement(type)));
            }
            reasonCode = (byte) code;
            if (reader.hasRemaining()) {
                properties = PropertiesParser.read(reader, publishResponseContext(type), packet.sender());
            }
        }
        reader.expectEnd(type.toString());
        return MqttMessageFactory.newMessage(packet.fixedHeader(),
                new MqttPubReplyMessageVariableHeader(packetId, reasonCode, properties), null);
    }

    /** DISCONNECT or AUTH: a reason code and properties, both optional. */
    static MqttMessage parseDisconnectOrAuth(PacketReader reader, PacketInProgress packet) {
        MqttMessageType type = packet.fixedHeader().messageType();
        boolean auth = type == MqttMessageType.AUTH;
        byte reasonCode = SUCCESS;
        MqttProperties properties = MqttProperties.NO_PROPERTIES;
        if (packet.isMqtt5() && reader.hasRemaining()) {
            int code = reader.readByte(REASON_CODE);
            if (!(auth ? ReasonCodeTables.AUTH : ReasonCodeTables.DISCONNECT)[code]) {
                throw protocolError(String.format("%s with the unknown reason code 0x%02X %s", type, code,
                        auth ? "[MQTT-3.15.2-1]" : "[MQTT-3.14.2-1]"));
            }
            reasonCode = (byte) code;
            if (reader.hasRemaining()) {
                properties = PropertiesParser.read(reader, auth ? PropertyContext.AUTH : PropertyContext.DISCONNECT,
                        packet.sender());
            }
        }
        reader.expectEnd(type.toString());
        if (auth && properties.getProperty(MqttProperties.AUTHENTICATION_METHOD) == null) {
            throw protocolError("AUTH without an Authentication Method (section 3.15.2.2.2)");
        }
        return MqttMessageFactory.newMessage(packet.fixedHeader(),
                new MqttReasonCodeAndPropertiesVariableHeader(reasonCode, properties), null);
    }

    /** PINGREQ or PINGRESP: nothing after the fixed header (sections 3.12, 3.13). */
    static MqttMessage parsePing(PacketReader reader, PacketInProgress packet) {
        reader.expectEnd(packet.fixedHeader().messageType().toString());
        return MqttMessageFactory.newMessage(packet.fixedHeader(), null, null);
    }

    private static boolean[] allowedPublishResponseCodes(MqttMessageType type) {
        return switch (type) {
            case PUBACK -> ReasonCodeTables.PUBACK;
            case PUBREC -> ReasonCodeTables.PUBREC;
            case PUBREL -> ReasonCodeTables.PUBREL;
            default -> ReasonCodeTables.PUBCOMP;
        };
    }

    private static String publishResponseCodeStatement(MqttMessageType type) {
        return switch (type) {
            case PUBACK -> "[MQTT-3.4.2-1]";
            case PUBREC -> "[MQTT-3.5.2-1]";
            case PUBREL -> "[MQTT-3.6.2-1]";
            default -> "[MQTT-3.7.2-1]";
        };
    }

    private static PropertyContext publishResponseContext(MqttMessageType type) {
        return switch (type) {
            case PUBACK -> PropertyContext.PUBACK;
            case PUBREC -> PropertyContext.PUBREC;
            case PUBREL -> PropertyContext.PUBREL;
            default -> PropertyContext.PUBCOMP;
        };
    }
}
