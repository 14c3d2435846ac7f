/**
 * MQTT 5.0 conformance tests: each starts a real broker on a free loopback port and talks to it over real
 * sockets, with the HiveMQ client's and Eclipse Paho's MQTT 5 APIs, Debian's {@code mosquitto_pub} and
 * {@code mosquitto_sub} with {@code -V 5}, and a raw client ({@link io.estafeta.broker.testsupport.RawMqttConnection}
 * with {@link io.estafeta.broker.testsupport.Packets}' 5.0 builders) for packets no real client sends. Tests
 * of a rule of the OASIS MQTT Version 5.0 standard name its statement id ({@code MQTT_3_3_2_6} for
 * [MQTT-3.3.2-6]); rules the standard states without an id name their section instead.
 *
 * <p>A few rules are about time (session expiry, message expiry, will delay, keep-alive): those tests use
 * intervals of one or two seconds and let that time pass, and nothing else sleeps.
 */
package io.estafeta.broker.conformance5;
