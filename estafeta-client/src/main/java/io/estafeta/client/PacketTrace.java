package io.estafeta.client;

import io.netty.handler.codec.mqtt.MqttMessage;

/**
 * Sees every packet the client sends and receives, for debug output such as {@code estafeta pub -d}.
 * Called on the client's event loop; the message must not be kept or released.
 */
public interface PacketTrace {

    void sending(MqttMessage message);

    void received(MqttMessage message);
}
