/**
 * Estafeta's MQTT packet decoder: Netty's message objects, decoded in one pass and checked against the
 * MQTT 3.1.1 and 5.0 specifications, with failures that carry the MQTT 5.0 reason code to report.
 * Encoding stays with Netty's {@code MqttEncoder}.
 */
package io.estafeta.protocol.codec;
