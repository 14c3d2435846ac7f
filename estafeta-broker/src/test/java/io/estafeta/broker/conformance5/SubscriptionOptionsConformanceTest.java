package io.estafeta.broker.conformance5;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient.Mqtt5Publishes;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import io.estafeta.broker.testsupport.MosquittoClientProcess;
import io.estafeta.broker.testsupport.MqttPacket;
import io.estafeta.broker.testsupport.PacketType;
import io.estafeta.broker.testsupport.Packets;
import io.estafeta.broker.testsupport.Paho5TestClient;
import io.estafeta.broker.testsupport.PropertyId;
import io.estafeta.broker.testsupport.RawMqttConnection;
import io.estafeta.broker.testsupport.TestBroker;
import io.estafeta.broker.testsupport.TestNames;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Subscription Options (3.8.3.1): No Local, Retain As Published, Retain Handling, and Subscription
 * Identifiers (3.8.2.1.2, 3.3.4).
 */
class SubscriptionOptionsConformanceTest {

    private static final int SEND_AT_SUBSCRIBE = 0;
    private static final int SEND_IF_NEW = 1;
    private static final int DO_NOT_SEND = 2;
    private static final long RECEIVE_TIMEOUT_SECONDS = 10;
    private static final String SUBACK_RECEIVED = "received SUBACK";

    private static TestBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    // ---------------------------------------------------------------- No Local

    @Test
    void noLocalKeepsAClientsOwnMessagesFromIt_MQTT_3_8_3_3() {
        String topic = TestNames.topic("nolocal");
        try (RawMqttConnection client = Mqtt5Clients.connected(broker, "nolocal");
             RawMqttConnection other = Mqtt5Clients.connected(broker, "nolocalother");
             RawMqttConnection publisher = Mqtt5Clients.connected(broker, "nolocalpub")) {
            client.subscribe(Packets.subscribe5(1).filter(topic, Packets.subscriptionOptions(1, true, false, 0)));
            other.subscribe(1, topic, 1);

            // Had the server sent the client its own message, it would arrive before the PUBACK.
            client.publishQos1(topic, "own", 1);
            assertThat(other.receivePublishAndAcknowledge().payloadAsString()).as("others still get it").isEqualTo("own");
            publisher.publishQos1(topic, "from another client", 1);

            assertThat(client.receivePublishAndAcknowledge().payloadAsString()).isEqualTo("from another client");
        }
    }

    @Test
    void withoutNoLocalAClientGetsItsOwnMessages() {
        String topic = TestNames.topic("local");
        try (RawMqttConnection client = Mqtt5Clients.connected(broker, "local")) {
            client.subscribe(1, topic, 0);

            client.send(Packets.publish5(topic).qos(1).packetId(1).payload("own").build());

            // The PUBACK and the delivery may come in either order.
            MqttPacket one = client.receive();
            MqttPacket two = client.receive();
            MqttPacket delivered = one.type() == PacketType.PUBLISH ? one : two;
            assertThat(List.of(one.type(), two.type()))
                    .containsExactlyInAnyOrder(PacketType.PUBACK, PacketType.PUBLISH);
            assertThat(delivered.payloadAsString()).isEqualTo("own");
        }
    }

    @Test
    void pahoClientWithNoLocalDoesNotHearItself_MQTT_3_8_3_3() {
        String topic = TestNames.topic("pahonl");
        try (Paho5TestClient client = Paho5TestClient.connect(broker, TestNames.clientId("pahonl"));
             RawMqttConnection other = Mqtt5Clients.connected(broker, "pahonlother")) {
            MqttSubscription subscription = new MqttSubscription(topic, 1);
            subscription.setNoLocal(true);
            client.subscribe(subscription);

            MqttMessage own = new MqttMessage(Mqtt5Clients.utf8("own"));
            own.setQos(1);
            client.publish(topic, own);
            other.publishQos1(topic, "other", 1);

            assertThat(client.awaitMessages(1)).extracting(Paho5TestClient.Received::payload).containsExactly("other");
        }
    }

    // ---------------------------------------------------------------- Retain As Published

    @Test
    void retainAsPublishedKeepsTheRetainFlagOnLiveDeliveries_MQTT_3_3_1_12_and_3_3_1_13() {
        String topic = TestNames.topic("rap");
        try (RawMqttConnection keeps = Mqtt5Clients.connected(broker, "rapkeeps");
             RawMqttConnection clears = Mqtt5Clients.connected(broker, "rapclears");
             RawMqttConnection publisher = Mqtt5Clients.connected(broker, "rappub")) {
            keeps.subscribe(Packets.subscribe5(1).filter(topic, Packets.subscriptionOptions(1, false, true, 0)));
            clears.subscribe(Packets.subscribe5(1).filter(topic, Packets.subscriptionOptions(1, false, false, 0)));

            publisher.send(Packets.publish5(topic).qos(1).packetId(1).retain(true).payload("retained live").build());
            publisher.expectAck(PacketType.PUBACK, 1);

            assertThat(keeps.receivePublishAndAcknowledge().retain()).as("[MQTT-3.3.1-13]").isTrue();
            assertThat(clears.receivePublishAndAcknowledge().retain()).as("[MQTT-3.3.1-12]").isFalse();
        } finally {
            clearRetained(topic);
        }
    }

    @Test
    void retainAsPublishedLeavesANonRetainedMessageNonRetained_MQTT_3_3_1_13() {
        String topic = TestNames.topic("rapplain");
        try (RawMqttConnection keeps = Mqtt5Clients.connected(broker, "rapplain");
             RawMqttConnection publisher = Mqtt5Clients.connected(broker, "rapplainpub")) {
            keeps.subscribe(Packets.subscribe5(1).filter(topic, Packets.subscriptionOptions(1, false, true, 0)));

            publisher.publishQos1(topic, "not retained", 1);

            assertThat(keeps.receivePublishAndAcknowledge().retain()).isFalse();
        }
    }

    // ---------------------------------------------------------------- Retain Handling

    @Test
    void retainHandling0SendsRetainedMessagesAtEverySubscribe_MQTT_3_3_1_9_and_3_8_4_4() {
        String topic = TestNames.topic("rh0");
        retain(topic, "state");
        try (RawMqttConnection client = Mqtt5Clients.connected(broker, "rh0")) {
            client.subscribe(retainHandling(1, topic, SEND_AT_SUBSCRIBE));
            assertThat(client.receivePublishAndAcknowledge().payloadAsString()).isEqualTo("state");

            client.subscribe(retainHandling(2, topic, SEND_AT_SUBSCRIBE));

            MqttPacket again = client.receivePublishAndAcknowledge();
            assertThat(again.payloadAsString()).isEqualTo("state");
            assertThat(again.retain()).isTrue();
        } finally {
            clearRetained(topic);
        }
    }

    @Test
    void retainHandling1SendsRetainedMessagesOnlyForANewSubscription_MQTT_3_3_1_10() {
        String topic = TestNames.topic("rh1");
        retain(topic, "state");
        try (RawMqttConnection client = Mqtt5Clients.connected(broker, "rh1")) {
            client.subscribe(retainHandling(1, topic, SEND_IF_NEW));
            assertThat(client.receivePublishAndAcknowledge().payloadAsString()).isEqualTo("state");

            client.subscribe(retainHandling(2, topic, SEND_IF_NEW));

            assertThat(client.publishesUntilPingResponse()).as("the subscription existed").isEmpty();
        } finally {
            clearRetained(topic);
        }
    }

    @Test
    void retainHandling2NeverSendsRetainedMessagesAtSubscribe_MQTT_3_3_1_11() {
        String topic = TestNames.topic("rh2");
        retain(topic, "state");
        try (RawMqttConnection client = Mqtt5Clients.connected(broker, "rh2")) {
            client.subscribe(retainHandling(1, topic, DO_NOT_SEND));

            assertThat(client.publishesUntilPingResponse()).isEmpty();

            try (RawMqttConnection publisher = Mqtt5Clients.connected(broker, "rh2pub")) {
                publisher.publishQos1(topic, "live", 1);
            }
            assertThat(client.receivePublishAndAcknowledge().payloadAsString()).as("live messages still flow")
                    .isEqualTo("live");
        } finally {
            clearRetained(topic);
        }
    }

    @Test
    void hiveMqClientChoosesRetainHandling_MQTT_3_3_1_11() throws InterruptedException {
        String topic = TestNames.topic("hiverh");
        retain(topic, "state");
        Mqtt5BlockingClient client = Mqtt5Clients.hiveMq(broker, TestNames.clientId("hiverh"));
        try (Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
            client.connect();
            client.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .retainHandling(Mqtt5RetainHandling.DO_NOT_SEND).send();
            client.subscribeWith().topicFilter(topic + "/more").qos(MqttQos.AT_LEAST_ONCE).send();
            retain(topic + "/more", "marker");

            Mqtt5Publish first = publishes.receive(RECEIVE_TIMEOUT_SECONDS, TimeUnit.SECONDS).orElseThrow();
            assertThat(Mqtt5Clients.utf8(first.getPayloadAsBytes())).isEqualTo("marker");
        } finally {
            Mqtt5Clients.disconnectQuietly(client);
            clearRetained(topic);
            clearRetained(topic + "/more");
        }
    }

    // ---------------------------------------------------------------- Subscription Identifiers

    @Test
    void messageCarriesTheSubscriptionIdentifierOfItsSubscription_MQTT_3_3_4_3() {
        String topic = TestNames.topic("subid");
        try (RawMqttConnection client = Mqtt5Clients.connected(broker, "subid");
             RawMqttConnection publisher = Mqtt5Clients.connected(broker, "subidpub")) {
            client.subscribe(withIdentifier(1, 42).filter(topic, 1));

            publisher.publishQos1(topic, "tagged", 1);

            assertThat(client.receivePublishAndAcknowledge().properties().numbers(PropertyId.SUBSCRIPTION_IDENTIFIER))
                    .containsExactly(42L);
        }
    }

    @Test
    void largeSubscriptionIdentifierComesBackUnchanged_MQTT_3_3_4_3() {
        String topic = TestNames.topic("bigid");
        long largest = 268_435_455L;
        try (RawMqttConnection client = Mqtt5Clients.connected(broker, "bigid");
             RawMqttConnection publisher = Mqtt5Clients.connected(broker, "bigidpub")) {
            client.subscribe(withIdentifier(1, largest).filter(topic, 1));

            publisher.publishQos1(topic, "tagged", 1);

            assertThat(client.receivePublishAndAcknowledge().properties().numbers(PropertyId.SUBSCRIPTION_IDENTIFIER))
                    .containsExactly(largest);
        }
    }

    // The server may instead send one copy per matching subscription ([MQTT-3.3.4-5]); Estafeta sends one.
    @Test
    void overlappingSubscriptionsGiveOneMessageWithEveryIdentifier_MQTT_3_3_4_4() {
        String level = TestNames.topic("overlap");
        try (RawMqttConnection client = Mqtt5Clients.connected(broker, "overlap");
             RawMqttConnection publisher = Mqtt5Clients.connected(broker, "overlappub")) {
            client.subscribe(withIdentifier(1, 1).filter(level + "/+", 1));
            client.subscribe(withIdentifier(2, 2).filter(level + "/x", 1));
            client.subscribe(Packets.subscribe5(3).filter(level + "/#", 1));

            publisher.publishQos1(level + "/x", "matches three", 1);

            MqttPacket delivered = client.receivePublishAndAcknowledge();
            assertThat(delivered.properties().numbers(PropertyId.SUBSCRIPTION_IDENTIFIER))
                    .containsExactlyInAnyOrder(1L, 2L);
            assertThat(client.publishesUntilPingResponse()).as("one copy").isEmpty();
        }
    }

    @Test
    void subscriptionWithoutIdentifierAddsNoIdentifier() {
        String topic = TestNames.topic("noid");
        try (RawMqttConnection client = Mqtt5Clients.connected(broker, "noid");
             RawMqttConnection publisher = Mqtt5Clients.connected(broker, "noidpub")) {
            client.subscribe(1, topic, 1);

            publisher.publishQos1(topic, "untagged", 1);

            assertThat(client.receivePublishAndAcknowledge().properties().has(PropertyId.SUBSCRIPTION_IDENTIFIER))
                    .isFalse();
        }
    }

    @Test
    void resubscribingWithAnotherIdentifierReplacesIt() {
        String topic = TestNames.topic("reid");
        try (RawMqttConnection client = Mqtt5Clients.connected(broker, "reid");
             RawMqttConnection publisher = Mqtt5Clients.connected(broker, "reidpub")) {
            client.subscribe(withIdentifier(1, 5).filter(topic, 1));
            client.subscribe(withIdentifier(2, 6).filter(topic, 1));

            publisher.publishQos1(topic, "retagged", 1);

            // 3.8.4: the identifiers are replaced when the same filter is subscribed with another identifier.
            assertThat(client.receivePublishAndAcknowledge().properties().numbers(PropertyId.SUBSCRIPTION_IDENTIFIER))
                    .containsExactly(6L);
        }
    }

    @Test
    void retainedMessageSentAtSubscribeCarriesTheSubscriptionIdentifier_MQTT_3_3_4_3() {
        String topic = TestNames.topic("retid");
        retain(topic, "state");
        try (RawMqttConnection client = Mqtt5Clients.connected(broker, "retid")) {
            client.subscribe(withIdentifier(1, 9).filter(topic, 1));

            MqttPacket retained = client.receivePublishAndAcknowledge();
            assertThat(retained.retain()).isTrue();
            assertThat(retained.properties().numbers(PropertyId.SUBSCRIPTION_IDENTIFIER)).containsExactly(9L);
        } finally {
            clearRetained(topic);
        }
    }

    @Test
    void pahoClientSeesTheSubscriptionIdentifiers_MQTT_3_3_4_3() {
        String topic = TestNames.topic("pahoid");
        try (Paho5TestClient client = Paho5TestClient.connect(broker, TestNames.clientId("pahoid"));
             RawMqttConnection publisher = Mqtt5Clients.connected(broker, "pahoidpub")) {
            MqttProperties properties = new MqttProperties();
            properties.setSubscriptionIdentifier(77);
            client.subscribe(properties, new MqttSubscription(topic, 1));

            publisher.publishQos1(topic, "tagged", 1);

            assertThat(client.awaitMessages(1).getFirst().properties().getSubscriptionIdentifiers()).containsExactly(77);
        }
    }

    @Test
    void mosquittoSubscriberPrintsTheSubscriptionIdentifier_MQTT_3_3_4_3() {
        String topic = TestNames.topic("mosqid");
        try (MosquittoClientProcess sub = MosquittoClientProcess.sub(broker, "-V", "5", "-t", topic, "-C", "1",
                "-d", "-W", "10", "-D", "subscribe", "subscription-identifier", "33", "-F", "%S %p")) {
            sub.awaitLine(line -> line.contains(SUBACK_RECEIVED));

            try (RawMqttConnection publisher = Mqtt5Clients.connected(broker, "mosqidpub")) {
                publisher.publishQos1(topic, "tagged", 1);
            }

            assertThat(sub.awaitExit()).as(sub.errors()).isZero();
            assertThat(sub.lines()).contains("33 tagged");
        }
    }

    private static Packets.Subscribe withIdentifier(int packetId, long identifier) {
        return Packets.subscribe5(packetId)
                .properties(Packets.properties().add(PropertyId.SUBSCRIPTION_IDENTIFIER, identifier));
    }

    private static Packets.Subscribe retainHandling(int packetId, String topic, int retainHandling) {
        return Packets.subscribe5(packetId).filter(topic, Packets.subscriptionOptions(1, false, false, retainHandling));
    }

    private static void retain(String topic, String payload) {
        try (RawMqttConnection publisher = Mqtt5Clients.connected(broker, "retainer")) {
            publisher.send(Packets.publish5(topic).qos(1).packetId(1).retain(true).payload(payload).build());
            publisher.expectAck(PacketType.PUBACK, 1);
        }
    }

    private static void clearRetained(String topic) {
        retain(topic, "");
    }
}
