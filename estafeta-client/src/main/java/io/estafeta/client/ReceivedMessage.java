package io.estafeta.client;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;

import java.util.Objects;

/**
 * An application message the server delivered to this client.
 *
 * @param dup        whether the server marked it as a possible re-delivery ([MQTT-3.3.1-1])
 * @param packetId   the packet identifier (0 for QoS 0)
 * @param properties PUBLISH properties (5.0 only; empty otherwise)
 */
public record ReceivedMessage(String topic, byte[] payload, MqttQoS qos, boolean retain, boolean dup, int packetId,
                              MqttProperties properties) {

    public ReceivedMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(qos, "qos");
        properties = properties == null ? MqttProperties.NO_PROPERTIES : properties;
    }
}
