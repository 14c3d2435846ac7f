package io.estafeta.broker.testsupport;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An Eclipse Paho asynchronous client that fires publishes without waiting for each to complete, so the
 * broker sees a stream of PUBLISH packets as fast as the socket takes them.
 */
public final class PahoAsyncPublisher implements AutoCloseable {

    private final MqttAsyncClient client;
    private final List<IMqttDeliveryToken> tokens = new ArrayList<>();

    private PahoAsyncPublisher(MqttAsyncClient client) {
        this.client = client;
    }

    /** Connects with room for {@code maxInflight} unacknowledged publishes. */
    public static PahoAsyncPublisher connect(TestBroker broker, String clientId, int maxInflight) {
        try {
            MqttAsyncClient client = new MqttAsyncClient(broker.serverUri(), clientId, new MemoryPersistence());
            MqttConnectOptions options = PahoTestClient.options();
            options.setMaxInflight(maxInflight);
            client.connect(options).waitForCompletion(PahoTestClient.TIME_TO_WAIT_MILLIS);
            return new PahoAsyncPublisher(client);
        } catch (MqttException e) {
            throw new IllegalStateException("Paho could not connect to " + broker, e);
        }
    }

    /** Starts a publish and returns at once. */
    public void publish(String topic, String payload, int qos) {
        try {
            IMqttDeliveryToken token = client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false);
            synchronized (tokens) {
                tokens.add(token);
            }
        } catch (MqttException e) {
            throw new IllegalStateException("Paho could not publish to " + topic, e);
        }
    }

    /** How many publishes the broker has acknowledged completely (PUBACK, or PUBCOMP for QoS 2). */
    public int completed() {
        synchronized (tokens) {
            return (int) tokens.stream().filter(token -> token.isComplete() && token.getException() == null).count();
        }
    }

    /** Waits until every publish started so far is complete. */
    public void awaitAllCompleted(Duration timeout) {
        Waiting.atMost(timeout).until(() -> {
            synchronized (tokens) {
                return completed() == tokens.size();
            }
        });
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(0).waitForCompletion(PahoTestClient.TIME_TO_WAIT_MILLIS);
            }
            client.close(true);
        } catch (MqttException ignored) {
            // already gone
        }
    }
}
