package io.estafeta.broker.testsupport;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.estafeta.broker.testsupport.Waiting.await;

/**
 * An Eclipse Paho MQTT 5.0 client that records the messages it receives with their properties. Every
 * call waits for the server's answer at most {@link PahoTestClient#TIME_TO_WAIT_MILLIS}.
 */
public final class Paho5TestClient implements AutoCloseable {

    /** A message as Paho handed it to the application, properties included. */
    public record Received(String topic, MqttMessage message) {
        public String payload() {
            return new String(message.getPayload(), StandardCharsets.UTF_8);
        }

        public MqttProperties properties() {
            return message.getProperties();
        }
    }

    private final MqttAsyncClient client;
    private final List<Received> received = new ArrayList<>();
    private MqttDisconnectResponse disconnect;

    private Paho5TestClient(MqttAsyncClient client) {
        this.client = client;
    }

    /** Default options for tests: MQTT 5.0, Clean Start, no automatic reconnect, keep-alive 60 s. */
    public static MqttConnectionOptions options() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        options.setKeepAliveInterval(60);
        options.setConnectionTimeout(10);
        return options;
    }

    public static Paho5TestClient connect(TestBroker broker, String clientId) {
        return connect(broker, clientId, options());
    }

    public static Paho5TestClient connect(TestBroker broker, String clientId, MqttConnectionOptions options) {
        return connect(broker.serverUri(), clientId, options);
    }

    /** Connects to any broker, e.g. a Mosquitto started with {@code MosquittoBroker}: {@code tcp://HOST:PORT}. */
    public static Paho5TestClient connect(String serverUri, String clientId, MqttConnectionOptions options) {
        try {
            MqttAsyncClient client = new MqttAsyncClient(serverUri, clientId, new MemoryPersistence());
            Paho5TestClient testClient = new Paho5TestClient(client);
            client.setCallback(testClient.new Callback());
            client.connect(options).waitForCompletion(PahoTestClient.TIME_TO_WAIT_MILLIS);
            return testClient;
        } catch (MqttException e) {
            throw new IllegalStateException("Paho (MQTT 5) could not connect to " + serverUri, e);
        }
    }

    /** Subscribes and returns the SUBACK's reason codes, one per subscription. */
    public int[] subscribe(MqttProperties properties, MqttSubscription... subscriptions) {
        try {
            IMqttToken token = client.subscribe(subscriptions, null, null, properties);
            token.waitForCompletion(PahoTestClient.TIME_TO_WAIT_MILLIS);
            return token.getReasonCodes();
        } catch (MqttException e) {
            throw new IllegalStateException("Paho (MQTT 5) could not subscribe", e);
        }
    }

    public int[] subscribe(MqttSubscription... subscriptions) {
        return subscribe(new MqttProperties(), subscriptions);
    }

    /** Publishes and returns once the QoS flow with the server is complete. */
    public void publish(String topic, MqttMessage message) {
        try {
            client.publish(topic, message).waitForCompletion(PahoTestClient.TIME_TO_WAIT_MILLIS);
        } catch (MqttException e) {
            throw new IllegalStateException("Paho (MQTT 5) could not publish to " + topic, e);
        }
    }

    /** Waits until at least {@code count} messages have arrived and returns all received so far. */
    public List<Received> awaitMessages(int count) {
        await().until(() -> snapshot().size() >= count);
        return snapshot();
    }

    public synchronized List<Received> snapshot() {
        return List.copyOf(received);
    }

    /** The DISCONNECT the server sent, once the connection is gone because of it. */
    public synchronized Optional<MqttDisconnectResponse> serverDisconnect() {
        return Optional.ofNullable(disconnect);
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(PahoTestClient.TIME_TO_WAIT_MILLIS);
            }
            client.close(true);
        } catch (MqttException ignored) {
            // the connection may already be gone; nothing left to release then
        }
    }

    private synchronized void add(Received message) {
        received.add(message);
    }

    private synchronized void disconnected(MqttDisconnectResponse response) {
        disconnect = response;
    }

    private final class Callback implements MqttCallback {
        @Override
        public void disconnected(MqttDisconnectResponse response) {
            Paho5TestClient.this.disconnected(response);
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            // tests see errors as messages that do not arrive
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            add(new Received(topic, message));
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // publish() waits for completion itself
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            // connect() returns on completion
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // enhanced authentication is not used
        }
    }
}
