package io.estafeta.junit;

import io.estafeta.broker.Broker;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The extension as a user's test class meets it: a running broker, handed over as a parameter. */
@ExtendWith(EstafetaExtension.class)
class EstafetaExtensionTest {

    private static final long WAIT_SECONDS = 10;

    private static Broker brokerOfBeforeAll;

    @BeforeAll
    static void remember(Broker broker) {
        brokerOfBeforeAll = broker;
    }

    @Test
    void theBrokerListensOnAFreeLoopbackPort(Broker broker) {
        assertThat(broker.port()).isPositive();
        assertThat(broker.uri()).isEqualTo("tcp://127.0.0.1:" + broker.port());
    }

    @Test
    void everyTestOfTheClassGetsTheBrokerStartedBeforeAll(Broker broker) {
        assertThat(broker).isSameAs(brokerOfBeforeAll);
    }

    @Test
    void aPahoClientPublishesToASubscriberThroughTheBroker(Broker broker) throws Exception {
        MqttClient subscriber = new MqttClient(broker.uri(), "subscriber", new MemoryPersistence());
        MqttClient publisher = new MqttClient(broker.uri(), "publisher", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        CompletableFuture<String> received = new CompletableFuture<>();
        try {
            subscriber.connect(options);
            subscriber.subscribe("greetings", 1,
                    (topic, message) -> received.complete(new String(message.getPayload(), StandardCharsets.UTF_8)));
            publisher.connect(options);
            publisher.publish("greetings", new MqttMessage("hello".getBytes(StandardCharsets.UTF_8)));

            assertThat(received.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("hello");
        } finally {
            close(subscriber);
            close(publisher);
        }
    }

    private static void close(MqttClient client) throws Exception {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }

    @Test
    @EstafetaConfig(passwordFile = "src/test/resources/passwords")
    void aTestWithItsOwnSettingsGetsABrokerOfItsOwn(Broker broker) throws Exception {
        assertThat(broker).isNotSameAs(brokerOfBeforeAll);
        Clients.connect(broker.uri(), "alice", "secret");
    }

    @Nested
    class NestedTests {

        @Test
        void aNestedClassSharesTheEnclosingClassesBroker(Broker broker) {
            assertThat(broker).isSameAs(brokerOfBeforeAll);
        }
    }
}
