package io.estafeta.protocol.codec;

import static io.estafeta.protocol.codec.MqttDecodingException.malformed;
import static io.estafeta.protocol.codec.MqttDecodingException.protocolError;

import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageFactory;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.Attribute;
import io.netty.util.AttributeMap;

/**
 * CONNECT (section 3.1): the packet that names the protocol version of the connection. Checks its
 * encoding and its properties; what its flags mean together (will QoS without will flag, password
 * without user name in 3.1.1, ...) is left to the broker, which answers those with its own CONNACK.
 */
final class ConnectPacketParser {

    private static final int USER_NAME_FLAG = 0x80;
    private static final int PASSWORD_FLAG = 0x40;
    private static final int WILL_RETAIN_FLAG = 0x20;
    private static final int WILL_QOS_MASK = 0x18;
    private static final int WILL_QOS_SHIFT = 3;
    private static final int WILL_FLAG = 0x04;
    private static final int CLEAN_START_FLAG = 0x02;
    private static final int RESERVED_FLAG = 0x01;
    /** MQTT 3.1 client identifiers have 1 to 23 characters; Netty counts characters, and so do we. */
    private static final int MQTT_3_1_MIN_CLIENT_ID_LENGTH = 1;

    private static final String PROTOCOL_NAME = "the Protocol Name";
    /** The top bit of the Protocol Level: a bridge, in Mosquitto's convention. */
    private static final int BRIDGE_MARK = 0x80;
    private static final int LEVEL_3_1 = 3;
    private static final int LEVEL_3_1_1 = 4;
    private static final String PROTOCOL_LEVEL = "the Protocol Level";
    private static final String CONNECT_FLAGS = "the Connect Flags";
    private static final String KEEP_ALIVE = "the Keep Alive";
    private static final String CLIENT_IDENTIFIER = "the Client Identifier";
    private static final String WILL_TOPIC = "the Will Topic";
    private static final String WILL_PAYLOAD = "the Will Payload";
    private static final String USER_NAME = "the User Name";
    private static final String PASSWORD = "the Password";

    private ConnectPacketParser() {
    }

    static MqttMessage parse(PacketReader reader, PacketInProgress packet, Attribute<MqttVersion> connectionVersion,
            AttributeMap channel, int mqtt31MaxClientIdLength) {
        String protocolName = reader.readUtf8String(PROTOCOL_NAME);
        int level = reader.readByte(PROTOCOL_LEVEL);
        int unmarked = level & ~BRIDGE_MARK;
        if ((level & BRIDGE_MARK) != 0 && (unmarked == LEVEL_3_1 || unmarked == LEVEL_3_1_1)) {
            // Mosquitto's bridges (try_private) set the top bit of a 3.1/3.1.1 level; 5.0 has no such mark.
            level = unmarked;
            // Only marked connections get the attribute (MqttPacketDecoder.announcedBridge).
            channel.attr(MqttPacketDecoder.BRIDGE_KEY).setIfAbsent(Boolean.TRUE);
        }
        // Netty's own lookup, so an unknown name or level fails with Netty's
        // MqttUnacceptableProtocolVersionException, as code written for Netty's decoder expects
        // (3.1.1 [MQTT-3.1.2-2]: CONNACK 0x01; 5.0 [MQTT-3.1.2-2]: CONNACK 0x84).
        MqttVersion version = MqttVersion.fromProtocolNameAndLevel(protocolName, (byte) level);
        // Like Netty, the channel speaks this version from here on, even if the rest of the CONNECT
        // fails: the encoder then answers in the client's version. Unlike Netty, a second CONNECT (a
        // Protocol Error, [MQTT-3.1.0-2]) does not change it: the refusal goes out in the version the
        // connection was opened with.
        if (connectionVersion.get() == null) {
            connectionVersion.set(version);
        }
        packet.version(version);
        boolean mqtt5 = version == MqttVersion.MQTT_5;
        reader.mqtt5(mqtt5);
        if (mqtt5 && !packet.hasMinimalRemainingLength()) {
            throw malformed("the Remaining Length of CONNECT is not encoded in the minimum number of bytes "
                    + "[MQTT-1.5.5-1]");
        }

        int flags = reader.readByte(CONNECT_FLAGS);
        int keepAlive = reader.readTwoByteInteger(KEEP_ALIVE);
        if (version != MqttVersion.MQTT_3_1 && (flags & RESERVED_FLAG) != 0) {
            throw malformed("CONNECT with the reserved flag set [MQTT-3.1.2-3]");
        }
        MqttProperties properties = MqttProperties.NO_PROPERTIES;
        if (mqtt5) {
            properties = PropertiesParser.read(reader, PropertyContext.CONNECT, packet.sender());
            if (properties.getProperty(MqttProperties.AUTHENTICATION_DATA) != null
                    && properties.getProperty(MqttProperties.AUTHENTICATION_METHOD) == null) {
                throw protocolError(
                        "CONNECT with Authentication Data but no Authentication Method (section 3.1.2.11.10)");
            }
        }
        boolean willFlag = (flags & WILL_FLAG) != 0;
        boolean hasUserName = (flags & USER_NAME_FLAG) != 0;
        boolean hasPassword = (flags & PASSWORD_FLAG) != 0;
        MqttConnectVariableHeader variableHeader = new MqttConnectVariableHeader(version.protocolName(),
                version.protocolLevel(), hasUserName, hasPassword, (flags & WILL_RETAIN_FLAG) != 0,
                (flags & WILL_QOS_MASK) >>> WILL_QOS_SHIFT, willFlag, (flags & CLEAN_START_FLAG) != 0, keepAlive,
                properties);
        packet.variableHeader(variableHeader);

        String clientId = reader.readUtf8String(CLIENT_IDENTIFIER);
        if (version == MqttVersion.MQTT_3_1
                && (clientId.length() < MQTT_3_1_MIN_CLIENT_ID_LENGTH || clientId.length() > mqtt31MaxClientIdLength)) {
            // Netty's exception and message: the broker answers it with CONNACK 0x02 (Identifier rejected).
            throw new MqttIdentifierRejectedException("invalid clientIdentifier");
        }
        MqttProperties willProperties = MqttProperties.NO_PROPERTIES;
        String willTopic = null;
        byte[] willPayload = null;
        if (willFlag) {
            if (mqtt5) {
                willProperties = PropertiesParser.read(reader, PropertyContext.WILL, packet.sender());
            }
            willTopic = reader.readUtf8String(WILL_TOPIC);
            willPayload = reader.readBinaryData(WILL_PAYLOAD);
        }
        String userName = hasUserName ? reader.readUtf8String(USER_NAME) : null;
        byte[] password = hasPassword ? reader.readBinaryData(PASSWORD) : null;
        reader.expectEnd("the CONNECT payload");
        return MqttMessageFactory.newMessage(packet.fixedHeader(), variableHeader,
                new MqttConnectPayload(clientId, willProperties, willTopic, willPayload, userName, password));
    }
}
