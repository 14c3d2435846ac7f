package io.estafeta.broker.testsupport;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.nio.charset.StandardCharsets;

/**
 * An Eclipse Paho MQTT 3.1.1 client (synchronous API) that records what it receives. Every blocking call
 * gives up after {@link #TIME_TO_WAIT_MILLIS}, so a broker that never answers fails a test instead of
 * hanging it.
 */
public final class PahoTestClient implements AutoCloseable {

    public static final long TIME_TO_WAIT_MILLIS = 10_000;

    private final MqttClient client;
    private final ReceivedMessages received = new ReceivedMessages();

    private PahoTestClient(MqttClient client) {
        this.client = client;
    }

    public static PahoTestClient connect(TestBroker broker, String clientId, boolean cleanSession) {
        MqttConnectOptions options = options();
        options.setCleanSession(cleanSession);
        return connect(broker, clientId, options);
    }

    /** Default options for tests: MQTT 3.1.1, no automatic reconnect, keep-alive 60 s. */
    private static final int PAHO_MAX_INFLIGHT = 65_535;

    public static MqttConnectOptions options() {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setAutomaticReconnect(false);
        options.setKeepAliveInterval(60);
        options.setConnectionTimeout(10);
        // Paho 1.2.5 counts a QoS 1 publish as in flight until its own bookkeeping catches up with the
        // PUBACK; against a broker that answers within microseconds on loopback that count can lag (and
        // leak), and Paho then refuses to publish ("Too many publishes in progress", 32202) although
        // every synchronous publish had completed. A wide local window keeps that client race out of
        // tests about the broker.
        options.setMaxInflight(PAHO_MAX_INFLIGHT);
        return options;
    }

    public static PahoTestClient connect(TestBroker broker, String clientId, MqttConnectOptions options) {
        return connect(broker.serverUri(), clientId, options);
    }

    /** Connects to any broker, e.g. a Mosquitto started with {@code MosquittoBroker}: {@code tcp://HOST:PORT}. */
    public static PahoTestClient connect(String serverUri, String clientId, MqttConnectOptions options) {
        try {
            MqttClient client = new MqttClient(serverUri, clientId, new MemoryPersistence());
            client.setTimeToWait(TIME_TO_WAIT_MILLIS);
            PahoTestClient testClient = new PahoTestClient(client);
            client.setCallback(testClient.new Callback());
            client.connect(options);
            return testClient;
        } catch (MqttException e) {
            throw new IllegalStateException("Paho could not connect to " + serverUri, e);
        }
    }

    /** Subscribes and returns the QoS the server granted (0x80 for a failure). */
    public int subscribe(String filter, int qos) {
        try {
            return client.subscribeWithResponse(filter, qos).getGrantedQos()[0];
        } catch (MqttException e) {
            throw new IllegalStateException("Paho could not subscribe to " + filter, e);
        }
    }

    /** Publishes and returns once the QoS flow with the server is complete. */
    public void publish(String topic, String payload, int qos, boolean retained) {
        try {
            client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retained);
        } catch (MqttException e) {
            throw new IllegalStateException("Paho could not publish to " + topic, e);
        }
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    public ReceivedMessages received() {
        return received;
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(0);
            }
            client.close(true);
        } catch (MqttException ignored) {
            // the connection may already be gone; nothing left to release then
        }
    }

    private final class Callback implements MqttCallbackExtended {
        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            // connect() returns on completion; nothing to record
        }

        @Override
        public void connectionLost(Throwable cause) {
            // tests see a lost connection as messages that do not arrive
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.add(new ReceivedMessage(topic, new String(message.getPayload(), StandardCharsets.UTF_8),
                    message.getQos(), message.isRetained(), message.isDuplicate()));
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // publish() waits for completion itself
        }
    }
}
