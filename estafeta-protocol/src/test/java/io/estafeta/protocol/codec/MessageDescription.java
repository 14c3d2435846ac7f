package io.estafeta.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribePayload;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribePayload;

import java.util.HexFormat;
import java.util.List;

/**
 * Every field of a decoded Netty MQTT message, written out as text, so that two decoders' outputs can be
 * compared field by field with one equality (Netty's message classes have no {@code equals}) and a
 * difference shows as a readable diff. Class names are part of it: the same values in a different
 * variable header class would break code that casts.
 */
final class MessageDescription {

    /** Property identifiers run from 0x01 to 0x2A (MQTT 5.0 table 2-4). */
    private static final int HIGHEST_PROPERTY_IDENTIFIER = 0x2A;
    private static final HexFormat HEX = HexFormat.of();

    private MessageDescription() {
    }

    static String of(MqttMessage message) {
        StringBuilder text = new StringBuilder();
        text.append(message.getClass().getSimpleName()).append('\n');
        text.append("result: ").append(message.decoderResult().isSuccess() ? "success" : "failure").append('\n');
        fixedHeader(text, message.fixedHeader());
        text.append("variable header: ");
        variableHeader(text, message.variableHeader());
        text.append("\npayload: ");
        payload(text, message.payload());
        return text.append('\n').toString();
    }

    private static void fixedHeader(StringBuilder text, MqttFixedHeader header) {
        if (header == null) {
            text.append("fixed header: none\n");
            return;
        }
        text.append("fixed header: ").append(header.messageType()).append(" dup=").append(header.isDup())
                .append(" qos=").append(header.qosLevel()).append(" retain=").append(header.isRetain())
                .append(" remainingLength=").append(header.remainingLength()).append('\n');
    }

    private static void variableHeader(StringBuilder text, Object header) {
        if (header == null) {
            text.append("none");
            return;
        }
        text.append(header.getClass().getSimpleName()).append(' ');
        switch (header) {
            case MqttConnectVariableHeader connect -> {
                text.append("name=").append(connect.name()).append(" version=").append(connect.version())
                        .append(" userName=").append(connect.hasUserName()).append(" password=")
                        .append(connect.hasPassword()).append(" willRetain=").append(connect.isWillRetain())
                        .append(" willQos=").append(connect.willQos()).append(" will=").append(connect.isWillFlag())
                        .append(" clean=").append(connect.isCleanSession()).append(" keepAlive=")
                        .append(connect.keepAliveTimeSeconds()).append(" properties=");
                properties(text, connect.properties());
            }
            case MqttConnAckVariableHeader connack -> {
                text.append("code=").append(connack.connectReturnCode()).append(" sessionPresent=")
                        .append(connack.isSessionPresent()).append(" properties=");
                properties(text, connack.properties());
            }
            case MqttPublishVariableHeader publish -> {
                text.append("topic=").append(publish.topicName()).append(" packetId=").append(publish.packetId())
                        .append(" properties=");
                properties(text, publish.properties());
            }
            case MqttPubReplyMessageVariableHeader reply -> {
                text.append("packetId=").append(reply.messageId()).append(" reasonCode=").append(reply.reasonCode())
                        .append(" properties=");
                properties(text, reply.properties());
            }
            case MqttMessageIdAndPropertiesVariableHeader idAndProperties -> {
                text.append("packetId=").append(idAndProperties.messageId()).append(" properties=");
                properties(text, idAndProperties.properties());
            }
            case MqttMessageIdVariableHeader id -> text.append("packetId=").append(id.messageId());
            case MqttReasonCodeAndPropertiesVariableHeader reason -> {
                text.append("reasonCode=").append(reason.reasonCode()).append(" properties=");
                properties(text, reason.properties());
            }
            default -> throw new AssertionError("unexpected variable header " + header.getClass());
        }
    }

    private static void payload(StringBuilder text, Object payload) {
        if (payload == null) {
            text.append("none");
            return;
        }
        text.append(payload.getClass().getSimpleName()).append(' ');
        switch (payload) {
            case MqttConnectPayload connect -> {
                text.append("clientId=").append(connect.clientIdentifier()).append(" willProperties=");
                properties(text, connect.willProperties());
                text.append(" willTopic=").append(connect.willTopic()).append(" willMessage=")
                        .append(hex(connect.willMessageInBytes())).append(" userName=").append(connect.userName())
                        .append(" password=").append(hex(connect.passwordInBytes()));
            }
            case ByteBuf bytes -> text.append("bytes=").append(ByteBufUtil.hexDump(bytes));
            case MqttSubscribePayload subscribe -> {
                for (MqttTopicSubscription subscription : subscribe.topicSubscriptions()) {
                    MqttSubscriptionOption option = subscription.option();
                    text.append('[').append(subscription.topicFilter()).append(" qos=").append(option.qos())
                            .append(" noLocal=").append(option.isNoLocal()).append(" rap=")
                            .append(option.isRetainAsPublished()).append(" retainHandling=")
                            .append(option.retainHandling()).append(']');
                }
            }
            case MqttUnsubscribePayload unsubscribe -> text.append(unsubscribe.topics());
            case MqttSubAckPayload suback -> text.append(suback.reasonCodes());
            case MqttUnsubAckPayload unsuback -> text.append(unsuback.unsubscribeReasonCodes());
            default -> throw new AssertionError("unexpected payload " + payload.getClass());
        }
    }

    private static void properties(StringBuilder text, MqttProperties properties) {
        if (properties == MqttProperties.NO_PROPERTIES) {
            text.append("NO_PROPERTIES");
            return;
        }
        text.append('{');
        for (int id = 1; id <= HIGHEST_PROPERTY_IDENTIFIER; id++) {
            List<? extends MqttProperties.MqttProperty> values = properties.getProperties(id);
            for (MqttProperties.MqttProperty<?> property : values) {
                text.append(property.getClass().getSimpleName()).append('(').append(property.propertyId()).append('=');
                Object value = property.value();
                if (value instanceof byte[] bytes) {
                    text.append(hex(bytes));
                } else if (value instanceof MqttProperties.StringPair pair) {
                    text.append(pair.key).append("->").append(pair.value);
                } else {
                    text.append(value);
                }
                text.append(") ");
            }
        }
        text.append('}');
    }

    private static String hex(byte[] bytes) {
        return bytes == null ? "null" : HEX.formatHex(bytes);
    }
}
