/**
 * MQTT 3.1.1 (and 3.1 where it differs) conformance tests: each starts a real broker on a free loopback
 * port and talks to it over real sockets, with Eclipse Paho, the HiveMQ client, Debian's
 * {@code mosquitto_pub}/{@code mosquitto_sub}, and a raw client for packets no real client sends. Tests of
 * a rule of the specification name its statement id ({@code MQTT_3_1_2_24} for [MQTT-3.1.2-24]).
 *
 * <p>To check the tests themselves, run them against Debian's Mosquitto instead:
 * {@code ./mvnw -pl estafeta-broker -am test -Dtest='io.estafeta.broker.conformance.*Test'
 * -Dsurefire.failIfNoSpecifiedTests=false -Destafeta.conformance.reference=mosquitto}. Mosquitto 2.0.11
 * differs from Estafeta on purpose in a few places (no CONNECT timeout setting, long MQTT 3.1 client ids,
 * invalid filters closing the connection, a keep-alive above the maximum, dropping for slow online
 * subscribers), so those tests fail there.
 */
package io.estafeta.broker.conformance;
