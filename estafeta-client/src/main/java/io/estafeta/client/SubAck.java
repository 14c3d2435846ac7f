package io.estafeta.client;

import io.netty.handler.codec.mqtt.MqttProperties;

import java.util.List;
import java.util.Optional;

/**
 * The server's answer to SUBSCRIBE: one code per filter, in the order asked ([MQTT-3.8.4-6]). 0, 1, 2
 * are the granted QoS; 0x80 (3.1.1) or any code of 0x80 and above (5.0) is a refusal.
 */
public record SubAck(List<Integer> reasonCodes, MqttProperties properties) {

    /** The lowest reason code that means failure. */
    public static final int FAILURE_THRESHOLD = 0x80;

    public SubAck {
        reasonCodes = List.copyOf(reasonCodes);
        properties = properties == null ? MqttProperties.NO_PROPERTIES : properties;
    }

    /** Whether the filter at {@code index} was refused. */
    public boolean isFailure(int index) {
        return reasonCodes.get(index) >= FAILURE_THRESHOLD;
    }

    /** The server's human-readable reason (5.0). */
    public Optional<String> reasonString() {
        return MessageProperties.string(properties, MqttProperties.REASON_STRING);
    }
}
