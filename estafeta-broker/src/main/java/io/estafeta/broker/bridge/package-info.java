/**
 * Bridges: links from this broker to other brokers, configured as in Mosquitto ({@code connection NAME}).
 * The remote side of a bridge is an {@link io.estafeta.client.MqttClient}; the local side is an ordinary,
 * persistent broker {@link io.estafeta.broker.session.Session} whose subscriptions are the bridge's
 * {@code out} topics, so that messages for an unreachable remote wait in the session's bounded queue.
 * See docs/BRIDGES.md.
 */
package io.estafeta.broker.bridge;
