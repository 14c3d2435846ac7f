/**
 * One asynchronous MQTT client on Netty (3.1, 3.1.1 and 5.0), shared by {@code estafeta pub},
 * {@code estafeta sub}, the benchmark and bridges, so the client logic exists once.
 *
 * <p>{@link io.estafeta.client.MqttClient} is the public face: its methods may be called from any
 * thread and return {@link java.util.concurrent.CompletableFuture}s. Everything the client knows about
 * its connection and session lives on one Netty event loop (chosen once, kept across reconnects), so
 * none of it needs a lock. Packets are encoded and decoded by Netty's codec-mqtt.
 */
package io.estafeta.client;
