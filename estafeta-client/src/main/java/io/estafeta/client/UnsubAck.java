package io.estafeta.client;

import io.netty.handler.codec.mqtt.MqttProperties;

import java.util.List;

/**
 * The server's answer to UNSUBSCRIBE. In 5.0 one reason code per filter (0x00 success, 0x11 no
 * subscription existed, 0x80 and above failure); 3.1 and 3.1.1 carry no codes, so the list is empty.
 */
public record UnsubAck(List<Integer> reasonCodes, MqttProperties properties) {

    public UnsubAck {
        reasonCodes = List.copyOf(reasonCodes);
        properties = properties == null ? MqttProperties.NO_PROPERTIES : properties;
    }
}
