/**
 * What the integration tests share: a broker on a free port ({@link io.estafeta.broker.testsupport.TestBroker}),
 * a raw MQTT peer with a packet builder whose every field can be broken
 * ({@link io.estafeta.broker.testsupport.RawMqttConnection}, {@link io.estafeta.broker.testsupport.Packets}),
 * and thin wrappers around the real clients (Paho, the mosquitto command-line tools).
 */
package io.estafeta.broker.testsupport;
