package io.estafeta.client;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The server's answer to CONNECT.
 *
 * @param reasonCode     the Connect Return Code (3.1, 3.1.1: 0-5) or Connect Reason Code (5.0); 0 is success
 * @param sessionPresent whether the server resumed a session it kept for this client id ([MQTT-3.2.2-2])
 * @param properties     CONNACK properties (5.0 only; empty otherwise)
 */
public record ConnAck(MqttVersion version, int reasonCode, boolean sessionPresent, MqttProperties properties) {

    /** 0x00: Connection Accepted (3.1.1) / Success (5.0). */
    public static final int ACCEPTED = 0x00;

    public ConnAck {
        Objects.requireNonNull(version, "version");
        properties = properties == null ? MqttProperties.NO_PROPERTIES : properties;
    }

    /** Whether the server accepted the connection. */
    public boolean isAccepted() {
        return reasonCode == ACCEPTED;
    }

    /** The client id the server chose, when this client connected with an empty one (5.0). */
    public Optional<String> assignedClientIdentifier() {
        return MessageProperties.string(properties, MqttProperties.ASSIGNED_CLIENT_IDENTIFIER);
    }

    /** The server's human-readable reason (5.0). */
    public Optional<String> reasonString() {
        return MessageProperties.string(properties, MqttProperties.REASON_STRING);
    }

    /** The keep-alive the server wants instead of the one asked for (5.0, [MQTT-3.2.2-21]). */
    public OptionalInt serverKeepAlive() {
        return MessageProperties.integer(properties, MqttProperties.SERVER_KEEP_ALIVE);
    }

    /** How many unacknowledged QoS 1/2 PUBLISH the server takes at once (5.0). */
    public OptionalInt receiveMaximum() {
        return MessageProperties.integer(properties, MqttProperties.RECEIVE_MAXIMUM);
    }

    /** The highest QoS the server accepts from this client (5.0); absent means 2. */
    public OptionalInt maximumQos() {
        return MessageProperties.integer(properties, MqttProperties.MAXIMUM_QOS);
    }

    /** Whether the server accepts retained messages (5.0); absent means yes. */
    public boolean retainAvailable() {
        return MessageProperties.integer(properties, MqttProperties.RETAIN_AVAILABLE).orElse(1) == 1;
    }
}
