package io.estafeta.broker.transport;

import io.estafeta.broker.Broker;
import io.estafeta.broker.config.BrokerConfig;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** message_size_limit: an oversized PUBLISH is acknowledged and dropped; the publisher stays connected. */
class MessageSizeLimitTest {

    private Broker broker;
    private String uri;

    @BeforeEach
    void startBroker() {
        broker = Broker.start(BrokerConfig.builder().persistence(false).localOnlyPort(0).messageSizeLimit(10).build());
        uri = "tcp://127.0.0.1:" + broker.boundAddresses().get(0).getPort();
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @Test
    void oversizedMessageIsAcknowledgedButNotDeliveredAndTheConnectionStays() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        MqttClient subscriber = new MqttClient(uri, "size-sub", new MemoryPersistence());
        subscriber.connect();
        subscriber.subscribe("size/#", 1, (topic, message) -> received.add(new String(message.getPayload())));
        MqttClient publisher = new MqttClient(uri, "size-pub", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        publisher.connect(options);

        // Synchronous QoS 1 publish: returns only once PUBACK arrived.
        publisher.publish("size/a", "0123456789-too-long".getBytes(), 1, false);
        publisher.publish("size/a", "small".getBytes(), 1, false);

        await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("small"));
        assertThat(received).containsExactly("small");
        assertThat(publisher.isConnected()).isTrue();
        assertThat(broker.metrics().droppedOversize()).isEqualTo(1);
        publisher.disconnect();
        subscriber.disconnect();
        publisher.close();
        subscriber.close();
    }
}
