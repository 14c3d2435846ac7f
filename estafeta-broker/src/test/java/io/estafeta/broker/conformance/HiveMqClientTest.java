package io.estafeta.broker.conformance;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient.Mqtt3Publishes;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAck;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import io.estafeta.broker.testsupport.TestBroker;
import io.estafeta.broker.testsupport.TestNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The HiveMQ MQTT client (its MQTT 3 API) against the broker. */
class HiveMqClientTest {

    private static final long RECEIVE_TIMEOUT_SECONDS = 10;

    private static TestBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(MqttQos.class)
    void messageMakesTheRoundTripAtEachQos(MqttQos qos) throws InterruptedException {
        String topic = TestNames.topic("hive");
        Mqtt3BlockingClient subscriber = client(TestNames.clientId("hivesub"));
        Mqtt3BlockingClient publisher = client(TestNames.clientId("hivepub"));
        try (Mqtt3Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber.connectWith().cleanSession(true).send();
            publisher.connectWith().cleanSession(true).send();
            assertThat(subscriber.subscribeWith().topicFilter(topic).qos(qos).send().getReturnCodes())
                    .containsExactly(grantedCode(qos));

            publisher.publishWith().topic(topic).qos(qos).payload(bytes("round trip")).send();

            Mqtt3Publish received = publishes.receive(RECEIVE_TIMEOUT_SECONDS, TimeUnit.SECONDS).orElseThrow();
            assertThat(received.getTopic().toString()).isEqualTo(topic);
            assertThat(new String(received.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("round trip");
            assertThat(received.getQos()).isEqualTo(qos);
            assertThat(received.isRetain()).isFalse();
        } finally {
            disconnectQuietly(subscriber);
            disconnectQuietly(publisher);
        }
    }

    @Test
    void persistentSessionIsResumedWithItsSubscriptionAndTheMessagesMissed_MQTT_3_1_2_4() throws InterruptedException {
        String topic = TestNames.topic("hivepers");
        String clientId = TestNames.clientId("hivepers");
        Mqtt3BlockingClient first = client(clientId);
        Mqtt3ConnAck firstAck = first.connectWith().cleanSession(false).send();
        assertThat(firstAck.isSessionPresent()).isFalse();
        first.subscribeWith().topicFilter(topic).qos(MqttQos.EXACTLY_ONCE).send();
        first.disconnect();

        Mqtt3BlockingClient publisher = client(TestNames.clientId("hivepub"));
        publisher.connectWith().cleanSession(true).send();
        publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(bytes("missed one")).send();
        publisher.publishWith().topic(topic).qos(MqttQos.EXACTLY_ONCE).payload(bytes("missed two")).send();
        publisher.disconnect();

        Mqtt3BlockingClient again = client(clientId);
        try (Mqtt3Publishes publishes = again.publishes(MqttGlobalPublishFilter.ALL)) {
            Mqtt3ConnAck ack = again.connectWith().cleanSession(false).send();
            assertThat(ack.isSessionPresent()).isTrue();

            Mqtt3Publish one = publishes.receive(RECEIVE_TIMEOUT_SECONDS, TimeUnit.SECONDS).orElseThrow();
            Mqtt3Publish two = publishes.receive(RECEIVE_TIMEOUT_SECONDS, TimeUnit.SECONDS).orElseThrow();
            assertThat(new String(one.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("missed one");
            assertThat(one.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
            assertThat(new String(two.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("missed two");
            assertThat(two.getQos()).isEqualTo(MqttQos.EXACTLY_ONCE);
        } finally {
            disconnectQuietly(again);
        }
    }

    private static Mqtt3BlockingClient client(String clientId) {
        return MqttClient.builder()
                .useMqttVersion3()
                .identifier(clientId)
                .serverHost(broker.host())
                .serverPort(broker.port())
                .buildBlocking();
    }

    private static Mqtt3SubAckReturnCode grantedCode(MqttQos qos) {
        return switch (qos) {
            case AT_MOST_ONCE -> Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_0;
            case AT_LEAST_ONCE -> Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_1;
            case EXACTLY_ONCE -> Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_2;
        };
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void disconnectQuietly(Mqtt3BlockingClient client) {
        if (client.getState().isConnected()) {
            client.disconnect();
        }
    }
}
