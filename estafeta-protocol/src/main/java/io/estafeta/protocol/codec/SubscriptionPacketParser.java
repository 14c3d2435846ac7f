package io.estafeta.protocol.codec;

import static io.estafeta.protocol.codec.MqttDecodingException.malformed;
import static io.estafeta.protocol.codec.MqttDecodingException.protocolError;

import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageFactory;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribePayload;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption.RetainedHandlingPolicy;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribePayload;

import java.util.ArrayList;
import java.util.List;

/**
 * SUBSCRIBE, UNSUBSCRIBE and their acknowledgements (sections 3.8 to 3.11): a Packet Identifier,
 * properties in MQTT 5.0, then a list. An empty SUBSCRIBE or UNSUBSCRIBE is refused here, as a
 * Protocol Error (5.0 [MQTT-3.8.3-2], [MQTT-3.10.3-2]; a "protocol violation" in 3.1.1
 * [MQTT-3.8.3-3], [MQTT-3.10.3-2]): it is a rule about the packet's shape, the same in both versions.
 */
final class SubscriptionPacketParser {

    private static final int QOS_MASK = 0x03;
    private static final int INVALID_QOS = 3;
    private static final int NO_LOCAL_BIT = 0x04;
    private static final int RETAIN_AS_PUBLISHED_BIT = 0x08;
    private static final int RETAIN_HANDLING_SHIFT = 4;
    private static final int RETAIN_HANDLING_MASK = 0x03;
    private static final int INVALID_RETAIN_HANDLING = 3;
    /** Bits 6 and 7 of the MQTT 5.0 Subscription Options are reserved ([MQTT-3.8.3-5]). */
    private static final int MQTT_5_RESERVED_OPTION_BITS = 0xC0;
    /** MQTT 3.1.1 knows only the QoS; bits 2 to 7 are reserved ([MQTT-3-8.3-4]). */
    private static final int MQTT_3_RESERVED_OPTION_BITS = 0xFC;

    private static final String TOPIC_FILTER = "a Topic Filter";
    private static final String SUBSCRIPTION_OPTIONS = "the Subscription Options";
    private static final String REASON_CODE = "a Reason Code";

    private SubscriptionPacketParser() {
    }

    static MqttMessage parseSubscribe(PacketReader reader, PacketInProgress packet) {
        MqttMessageIdAndPropertiesVariableHeader variableHeader =
                variableHeader(reader, packet, PropertyContext.SUBSCRIBE);
        List<MqttTopicSubscription> subscriptions = new ArrayList<>();
        boolean mqtt5 = packet.isMqtt5();
        while (reader.hasRemaining()) {
            String topicFilter = reader.readUtf8String(TOPIC_FILTER);
            int options = reader.readByte(SUBSCRIPTION_OPTIONS);
            subscriptions.add(new MqttTopicSubscription(topicFilter, subscriptionOption(options, mqtt5)));
        }
        if (subscriptions.isEmpty()) {
            throw protocolError("SUBSCRIBE without a Topic Filter " + (mqtt5 ? "[MQTT-3.8.3-2]" : "[MQTT-3.8.3-3]"));
        }
        return MqttMessageFactory.newMessage(packet.fixedHeader(), variableHeader,
                new MqttSubscribePayload(subscriptions));
    }

    static MqttMessage parseUnsubscribe(PacketReader reader, PacketInProgress packet) {
        MqttMessageIdAndPropertiesVariableHeader variableHeader =
                variableHeader(reader, packet, PropertyContext.UNSUBSCRIBE);
        List<String> topicFilters = new ArrayList<>();
        while (reader.hasRemaining()) {
            topicFilters.add(reader.readUtf8String(TOPIC_FILTER));
        }
        if (topicFilters.isEmpty()) {
            throw protocolError("UNSUBSCRIBE without a Topic Filter [MQTT-3.10.3-2]");
        }
        return MqttMessageFactory.newMessage(packet.fixedHeader(), variableHeader,
                new MqttUnsubscribePayload(topicFilters));
    }

    static MqttMessage parseSuback(PacketReader reader, PacketInProgress packet) {
        MqttMessageIdAndPropertiesVariableHeader variableHeader =
                variableHeader(reader, packet, PropertyContext.SUBACK);
        boolean[] allowed = packet.isMqtt5() ? ReasonCodeTables.SUBACK_5 : ReasonCodeTables.SUBACK_3;
        List<Integer> reasonCodes = new ArrayList<>(reader.remaining());
        while (reader.hasRemaining()) {
            int code = reader.readByte(REASON_CODE);
            if (!allowed[code]) {
                throw protocolError(String.format("SUBACK with the unknown reason code 0x%02X [MQTT-3.9.3-2]", code));
            }
            reasonCodes.add(code);
        }
        return MqttMessageFactory.newMessage(packet.fixedHeader(), variableHeader, new MqttSubAckPayload(reasonCodes));
    }

    static MqttMessage parseUnsuback(PacketReader reader, PacketInProgress packet) {
        MqttMessageIdAndPropertiesVariableHeader variableHeader =
                variableHeader(reader, packet, PropertyContext.UNSUBACK);
        // An MQTT 3.1.1 UNSUBACK is only a Packet Identifier (section 3.11); Netty gives it an empty list.
        List<Short> reasonCodes = new ArrayList<>(reader.remaining());
        if (!packet.isMqtt5()) {
            reader.expectEnd("the Packet Identifier of an MQTT 3.1.1 UNSUBACK");
        }
        while (reader.hasRemaining()) {
            int code = reader.readByte(REASON_CODE);
            if (!ReasonCodeTables.UNSUBACK_5[code]) {
                throw protocolError(
                        String.format("UNSUBACK with the unknown reason code 0x%02X [MQTT-3.11.3-2]", code));
            }
            reasonCodes.add((short) code);
        }
        return MqttMessageFactory.newMessage(packet.fixedHeader(), variableHeader,
                new MqttUnsubAckPayload(reasonCodes));
    }

    private static MqttMessageIdAndPropertiesVariableHeader variableHeader(PacketReader reader, PacketInProgress packet,
            PropertyContext context) {
        int packetId = reader.readPacketIdentifier();
        MqttProperties properties = packet.isMqtt5()
                ? PropertiesParser.read(reader, context, packet.sender())
                : MqttProperties.NO_PROPERTIES;
        MqttMessageIdAndPropertiesVariableHeader variableHeader =
                new MqttMessageIdAndPropertiesVariableHeader(packetId, properties);
        packet.variableHeader(variableHeader);
        return variableHeader;
    }

    private static MqttSubscriptionOption subscriptionOption(int options, boolean mqtt5) {
        int qos = options & QOS_MASK;
        int retainHandling = (options >>> RETAIN_HANDLING_SHIFT) & RETAIN_HANDLING_MASK;
        if (mqtt5) {
            if ((options & MQTT_5_RESERVED_OPTION_BITS) != 0) {
                throw malformed("SUBSCRIBE with reserved bits 6-7 of the Subscription Options set [MQTT-3.8.3-5]");
            }
            if (qos == INVALID_QOS) {
                throw protocolError("SUBSCRIBE with Maximum QoS 3 in the Subscription Options (section 3.8.3.1)");
            }
            if (retainHandling == INVALID_RETAIN_HANDLING) {
                throw protocolError("SUBSCRIBE with Retain Handling 3 in the Subscription Options (section 3.8.3.1)");
            }
        } else if ((options & MQTT_3_RESERVED_OPTION_BITS) != 0 || qos == INVALID_QOS) {
            throw malformed(String.format("SUBSCRIBE with requested QoS byte 0x%02X: bits 2-7 are reserved "
                    + "and QoS must be 0, 1 or 2 [MQTT-3-8.3-4]", options));
        }
        return new MqttSubscriptionOption(MqttQoS.valueOf(qos), (options & NO_LOCAL_BIT) != 0,
                (options & RETAIN_AS_PUBLISHED_BIT) != 0, RetainedHandlingPolicy.valueOf(retainHandling));
    }
}
