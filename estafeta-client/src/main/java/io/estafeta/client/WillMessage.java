package io.estafeta.client;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;

import java.util.Objects;

/**
 * The message the server publishes for this client if its connection ends without a DISCONNECT
 * ([MQTT-3.1.2-8]).
 *
 * @param properties will properties (MQTT 5 only: will delay, message expiry, content type, ...);
 *                   ignored for 3.1 and 3.1.1
 */
public record WillMessage(String topic, byte[] payload, MqttQoS qos, boolean retain, MqttProperties properties) {

    public WillMessage {
        Objects.requireNonNull(topic, "topic");
        payload = payload == null ? new byte[0] : payload.clone();
        Objects.requireNonNull(qos, "qos");
        properties = properties == null ? MqttProperties.NO_PROPERTIES : properties;
    }

    public WillMessage(String topic, byte[] payload, MqttQoS qos, boolean retain) {
        this(topic, payload, qos, retain, MqttProperties.NO_PROPERTIES);
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }
}
