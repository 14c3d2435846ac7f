package io.estafeta.client;

import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscribePayload;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribePayload;
import io.netty.handler.codec.mqtt.MqttVersion;

import java.util.List;

/** The control packets a client sends, built for Netty's {@code MqttEncoder}. */
final class ClientPackets {

    /** Remaining Length is computed by the encoder. */
    private static final int ENCODER_COMPUTES_LENGTH = 0;

    private ClientPackets() {
    }

    static MqttConnectMessage connect(MqttClientOptions options) {
        MqttVersion version = options.version();
        WillMessage will = options.will();
        byte[] password = options.password();
        MqttConnectVariableHeader variableHeader = new MqttConnectVariableHeader(
                version.protocolName(), version.protocolLevel(),
                options.username() != null, password != null,
                will != null && will.retain(), will == null ? 0 : will.qos().value(), will != null,
                options.cleanStart(), (int) options.keepAlive().toSeconds(),
                version == MqttVersion.MQTT_5 ? options.connectProperties() : MqttProperties.NO_PROPERTIES);
        MqttConnectPayload payload = new MqttConnectPayload(options.clientId(),
                will == null || version != MqttVersion.MQTT_5 ? MqttProperties.NO_PROPERTIES : will.properties(),
                will == null ? null : will.topic(), will == null ? null : will.payload(),
                options.username(), password);
        return new MqttConnectMessage(fixedHeader(MqttMessageType.CONNECT, MqttQoS.AT_MOST_ONCE), variableHeader,
                payload);
    }

    /** PUBACK, PUBREC, PUBREL or PUBCOMP; the reason code is only sent in 5.0 and only when not 0. */
    static MqttMessage publishReply(MqttMessageType type, int packetId, int reasonCode) {
        // [MQTT-3.6.1-1] PUBREL's fixed-header flags are 0010, which is QoS 1 in the header's layout.
        MqttQoS flags = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        return new MqttMessage(fixedHeader(type, flags),
                new MqttPubReplyMessageVariableHeader(packetId, (byte) reasonCode, MqttProperties.NO_PROPERTIES));
    }

    static MqttSubscribeMessage subscribe(int packetId, List<Subscription> subscriptions, MqttProperties properties) {
        List<MqttTopicSubscription> topics = subscriptions.stream()
                .map(subscription -> new MqttTopicSubscription(subscription.filter(), subscription.option()))
                .toList();
        // [MQTT-3.8.1-1] SUBSCRIBE's fixed-header flags are 0010.
        return new MqttSubscribeMessage(fixedHeader(MqttMessageType.SUBSCRIBE, MqttQoS.AT_LEAST_ONCE),
                new MqttMessageIdAndPropertiesVariableHeader(packetId, properties),
                new MqttSubscribePayload(topics));
    }

    static MqttUnsubscribeMessage unsubscribe(int packetId, List<String> filters, MqttProperties properties) {
        // [MQTT-3.10.1-1] UNSUBSCRIBE's fixed-header flags are 0010.
        return new MqttUnsubscribeMessage(fixedHeader(MqttMessageType.UNSUBSCRIBE, MqttQoS.AT_LEAST_ONCE),
                new MqttMessageIdAndPropertiesVariableHeader(packetId, properties),
                new MqttUnsubscribePayload(filters));
    }

    static MqttMessage pingReq() {
        return new MqttMessage(fixedHeader(MqttMessageType.PINGREQ, MqttQoS.AT_MOST_ONCE));
    }

    /** DISCONNECT; the reason code and properties are only sent in 5.0. */
    static MqttMessage disconnect(int reasonCode, MqttProperties properties) {
        return new MqttMessage(fixedHeader(MqttMessageType.DISCONNECT, MqttQoS.AT_MOST_ONCE),
                new MqttReasonCodeAndPropertiesVariableHeader((byte) reasonCode, properties));
    }

    private static MqttFixedHeader fixedHeader(MqttMessageType type, MqttQoS flags) {
        return new MqttFixedHeader(type, false, flags, false, ENCODER_COMPUTES_LENGTH);
    }
}
