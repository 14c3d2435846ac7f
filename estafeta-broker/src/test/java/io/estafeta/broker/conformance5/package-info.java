/**
 * MQTT 5.0 conformance tests: each starts a real broker on a free loopback port and talks to it over real
 * sockets, with the HiveMQ client's and Eclipse Paho's MQTT 5 APIs, Debian's {@code mosquitto_pub} and
 * {@code mosquitto_sub} with {@code -V 5}, and a raw client ({@link io.estafeta.broker.testsupport.RawMqttConnection}
 * with {@link io.estafeta.broker.testsupport.Packets}' 5.0 builders) for packets no real client sends. Tests
 * of a rule of the OASIS MQTT Version 5.0 standard name its statement id ({@code MQTT_3_3_2_6} for
 * [MQTT-3.3.2-6]); rules the standard states without an id name their section instead.
 *
 * <p>Some tests check what Estafeta chose where the standard leaves a choice (a CONNACK before closing, a
 * single copy for overlapping subscriptions, topic aliases towards clients that allow them, Response
 * Information); their comments say so. Run against Debian's Mosquitto 2.0.11 with
 * {@code -Destafeta.conformance.reference=mosquitto}, those fail, and so do tests of rules Mosquitto does not
 * follow (it closes without DISCONNECT on takeover, keep-alive timeout and shutdown, sends retained messages
 * to shared subscriptions, and does not keep to a lowered Receive Maximum).
 *
 * <p>A few rules are about time (session expiry, message expiry, will delay, keep-alive): those tests use
 * intervals of one or two seconds and let that time pass, and nothing else sleeps.
 */
package io.estafeta.broker.conformance5;
