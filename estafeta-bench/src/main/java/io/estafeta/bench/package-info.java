/**
 * {@code estafeta bench}: an MQTT load generator on Netty that works against any broker.
 *
 * <p>Connections are set up with Netty's {@link io.netty.handler.codec.mqtt.MqttEncoder} and
 * {@link io.netty.handler.codec.mqtt.MqttDecoder} (CONNECT, CONNACK with its MQTT 5 properties, SUBSCRIBE,
 * SUBACK); once a connection is ready its pipeline switches to {@link io.estafeta.bench.InboundFrames}, which
 * reads PUBLISH and the acknowledgements in place without allocating a message object each, and
 * PUBLISH frames are copied from a template ({@link io.estafeta.bench.PublishFrames}). The generator
 * should cost the machine far less than the broker it measures, and it says when it did not.
 */
package io.estafeta.bench;
