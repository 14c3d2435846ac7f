package io.estafeta.protocol.codec;

import static io.estafeta.protocol.codec.MqttDecodingException.protocolError;

import io.estafeta.protocol.codec.MqttDecodingException.ReasonCode;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageFactory;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;

/**
 * PUBLISH (section 3.3). The payload is a retained slice of the receive buffer, as with Netty's decoder:
 * no copy, and the receiver releases it with the message.
 */
final class PublishPacketParser {

    /** Netty's packet id for a QoS 0 PUBLISH, which has none ([MQTT-2.3.1-5] in 3.1.1). */
    private static final int NO_PACKET_ID = -1;
    private static final String TOPIC_NAME = "the Topic Name";

    private PublishPacketParser() {
    }

    static MqttMessage parse(PacketReader reader, PacketInProgress packet) {
        MqttFixedHeader fixedHeader = packet.fixedHeader();
        String topicName = reader.readUtf8String(TOPIC_NAME);
        if (PropertiesParser.containsWildcard(topicName)) {
            throw new MqttDecodingException(ReasonCode.TOPIC_NAME_INVALID,
                    "PUBLISH Topic Name contains a wildcard character [MQTT-3.3.2-2]");
        }
        int packetId = fixedHeader.qosLevel() == MqttQoS.AT_MOST_ONCE ? NO_PACKET_ID : reader.readPacketIdentifier();
        MqttProperties properties = MqttProperties.NO_PROPERTIES;
        if (packet.isMqtt5()) {
            properties = PropertiesParser.read(reader, PropertyContext.PUBLISH, packet.sender());
            if (topicName.isEmpty() && properties.getProperty(MqttProperties.TOPIC_ALIAS) == null) {
                throw protocolError("PUBLISH with an empty Topic Name and no Topic Alias (section 3.3.2.1)");
            }
        }
        MqttPublishVariableHeader variableHeader = new MqttPublishVariableHeader(topicName, packetId, properties);
        packet.variableHeader(variableHeader);
        ByteBuf payload = reader.readRetainedRest();
        return MqttMessageFactory.newMessage(fixedHeader, variableHeader, payload);
    }
}
