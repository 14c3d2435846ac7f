package io.estafeta.broker.conformance5;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import io.estafeta.broker.testsupport.MqttPacket;
import io.estafeta.broker.testsupport.PacketType;
import io.estafeta.broker.testsupport.Packets;
import io.estafeta.broker.testsupport.PropertyId;
import io.estafeta.broker.testsupport.RawMqttConnection;
import io.estafeta.broker.testsupport.ReasonCodes;
import io.estafeta.broker.testsupport.TestBroker;
import io.estafeta.broker.testsupport.TestNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static io.estafeta.broker.testsupport.Waiting.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Shared Subscriptions, {@code $share/{ShareName}/{filter}} (4.8.2, 3.8.3.1, 3.8.4). */
class SharedSubscriptionConformanceTest {

    private static final int MESSAGES = 20;
    private static final int SUBSCRIPTIONS_AVAILABLE = 1;

    private static TestBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void connackDoesNotSaySharedSubscriptionsAreUnavailable() {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            MqttPacket connack = client.connectAccepted(Packets.connect5(TestNames.clientId("sharedok")));

            // 3.2.2.3.13: absent means available.
            assertThat(connack.properties().number(PropertyId.SHARED_SUBSCRIPTION_AVAILABLE)
                    .orElse(SUBSCRIPTIONS_AVAILABLE)).isEqualTo(SUBSCRIPTIONS_AVAILABLE);
        }
    }

    @Test
    void eachMessageGoesToExactlyOneMemberOfTheGroup() {
        String topic = TestNames.topic("share");
        String shared = "$share/workers/" + topic;
        try (RawMqttConnection first = member("sharea", shared, 1);
             RawMqttConnection second = member("shareb", shared, 1);
             RawMqttConnection publisher = Mqtt5Clients.connected(broker, "sharepub")) {

            publishAll(publisher, topic);

            List<String> toFirst = payloads(first.publishesUntilPingResponse());
            List<String> toSecond = payloads(second.publishesUntilPingResponse());
            List<String> all = new ArrayList<>(toFirst);
            all.addAll(toSecond);
            assertThat(all).containsExactlyInAnyOrderElementsOf(expectedPayloads());
        }
    }

    @Test
    void everyGroupAndEveryOrdinarySubscriberGetsItsOwnCopy() {
        String topic = TestNames.topic("groups");
        try (RawMqttConnection first = member("groupsa1", "$share/one/" + topic, 1);
             RawMqttConnection second = member("groupsa2", "$share/one/" + topic, 1);
             RawMqttConnection other = member("groupsb", "$share/two/" + topic, 1);
             RawMqttConnection plain = member("groupsp", topic, 1);
             RawMqttConnection publisher = Mqtt5Clients.connected(broker, "groupspub")) {

            publishAll(publisher, topic);

            List<String> groupOne = new ArrayList<>(payloads(first.publishesUntilPingResponse()));
            groupOne.addAll(payloads(second.publishesUntilPingResponse()));
            assertThat(groupOne).as("group one").containsExactlyInAnyOrderElementsOf(expectedPayloads());
            assertThat(payloads(other.publishesUntilPingResponse())).as("group two")
                    .containsExactlyElementsOf(expectedPayloads());
            assertThat(payloads(plain.publishesUntilPingResponse())).as("non-shared subscriber")
                    .containsExactlyElementsOf(expectedPayloads());
        }
    }

    @Test
    void clientWithASharedAndAnOrdinarySubscriptionGetsTheOrdinaryCopy() {
        String topic = TestNames.topic("both");
        try (RawMqttConnection client = member("both", "$share/g/" + topic, 1);
             RawMqttConnection publisher = Mqtt5Clients.connected(broker, "bothpub")) {
            client.subscribe(2, topic, 1);

            publisher.publishQos1(topic, "twice", 1);

            // 4.8.2: one copy by virtue of the non-shared subscription, one through the group (its only member).
            assertThat(payloads(client.publishesUntilPingResponse())).containsExactly("twice", "twice");
        }
    }

    @Test
    void noRetainedMessagesAreSentOnSubscribingToASharedSubscription() {
        String topic = TestNames.topic("shareret");
        try (RawMqttConnection publisher = Mqtt5Clients.connected(broker, "shareretpub")) {
            publisher.send(Packets.publish5(topic).qos(1).packetId(1).retain(true).payload("state").build());
            publisher.expectAck(PacketType.PUBACK, 1);
        }
        try (RawMqttConnection client = Mqtt5Clients.connected(broker, "shareret")) {
            // 3.8.4 / 4.8.2: "No Retained Messages are sent to the Session when it first subscribes."
            client.subscribe(1, "$share/g/" + topic, 1);
            assertThat(client.publishesUntilPingResponse()).isEmpty();

            client.subscribe(2, topic, 1);
            assertThat(payloads(client.publishesUntilPingResponse())).as("an ordinary subscription gets it")
                    .containsExactly("state");
        } finally {
            try (RawMqttConnection publisher = Mqtt5Clients.connected(broker, "shareretclr")) {
                publisher.send(Packets.publish5(topic).qos(1).packetId(1).retain(true).build());
                publisher.expectAck(PacketType.PUBACK, 1);
            }
        }
    }

    @Test
    void memberReceivesAtItsOwnGrantedQos_MQTT_4_8_2_3() {
        String topic = TestNames.topic("shareqos");
        try (RawMqttConnection member = member("shareqos", "$share/g/" + topic, 0);
             RawMqttConnection publisher = Mqtt5Clients.connected(broker, "shareqospub")) {

            publisher.publishQos1(topic, "downgraded", 1);

            MqttPacket delivered = member.receive(PacketType.PUBLISH);
            assertThat(delivered.qos()).isZero();
        }
    }

    @Test
    void unacknowledgedMessageGoesToAnotherMemberWhenTheMembersSessionEnds() {
        String topic = TestNames.topic("handback");
        String shared = "$share/g/" + topic;
        RawMqttConnection leaving = member("handbacka", shared, 1);
        try (RawMqttConnection publisher = Mqtt5Clients.connected(broker, "handbackpub")) {
            publisher.publishQos1(topic, "not acknowledged", 1);
            assertThat(payloads(leaving.publishesUntilPingResponse())).containsExactly("not acknowledged");

            try (RawMqttConnection staying = member("handbackb", shared, 1)) {
                // The leaving member's session has no expiry: it ends with the connection, unacknowledged.
                leaving.close();

                // 4.8.2: "the Server SHOULD send the Application Message to another Client that is subscribed".
                MqttPacket handedOver = staying.receivePublishAndAcknowledge();
                assertThat(handedOver.payloadAsString()).isEqualTo("not acknowledged");
            }
        } finally {
            leaving.close();
        }
    }

    @Test
    void noLocalOnASharedSubscriptionIsAProtocolError_MQTT_3_8_3_4() {
        try (RawMqttConnection client = Mqtt5Clients.connected(broker, "sharenl")) {
            client.send(Packets.subscribe5(1)
                    .filter("$share/g/" + TestNames.topic("sharenl"), Packets.subscriptionOptions(1, true, false, 0))
                    .build());

            assertThat(client.awaitServerDisconnect().reasonCode()).isEqualTo(ReasonCodes.PROTOCOL_ERROR);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"$share/gr+oup/x", "$share/gr#oup/x", "$share//x", "$share/g", "$share/g/"})
    void invalidSharedSubscriptionFilterIsRefusedWith0x8F_MQTT_4_8_2_1_and_4_8_2_2(String filter) {
        try (RawMqttConnection client = Mqtt5Clients.connected(broker, "badshare")) {
            MqttPacket suback = client.subscribe(Packets.subscribe5(1).filter(filter, 1));

            assertThat(suback.reasonCodes()).containsExactly(ReasonCodes.TOPIC_FILTER_INVALID);
        }
    }

    @Test
    void unsubscribingLeavesTheGroup() {
        String topic = TestNames.topic("shareunsub");
        String shared = "$share/g/" + topic;
        try (RawMqttConnection leaving = member("shareunsuba", shared, 1);
             RawMqttConnection staying = member("shareunsubb", shared, 1);
             RawMqttConnection publisher = Mqtt5Clients.connected(broker, "shareunsubpub")) {
            leaving.send(Packets.unsubscribe5(2, shared, shared));
            assertThat(leaving.receive(PacketType.UNSUBACK).reasonCodes())
                    .containsExactly(ReasonCodes.SUCCESS, ReasonCodes.NO_SUBSCRIPTION_EXISTED);

            publishAll(publisher, topic);

            assertThat(leaving.publishesUntilPingResponse()).isEmpty();
            assertThat(payloads(staying.publishesUntilPingResponse())).containsExactlyElementsOf(expectedPayloads());
        }
    }

    @Test
    void hiveMqClientsShareTheMessagesOfAGroup() {
        String topic = TestNames.topic("hiveshare");
        Mqtt5BlockingClient first = Mqtt5Clients.hiveMq(broker, TestNames.clientId("hivesharea"));
        Mqtt5BlockingClient second = Mqtt5Clients.hiveMq(broker, TestNames.clientId("hiveshareb"));
        List<String> received = new CopyOnWriteArrayList<>();
        first.toAsync().publishes(MqttGlobalPublishFilter.ALL,
                publish -> received.add(Mqtt5Clients.utf8(publish.getPayloadAsBytes())));
        second.toAsync().publishes(MqttGlobalPublishFilter.ALL,
                publish -> received.add(Mqtt5Clients.utf8(publish.getPayloadAsBytes())));
        try (RawMqttConnection publisher = Mqtt5Clients.connected(broker, "hivesharepub")) {
            Mqtt5ConnAck connack = first.connect();
            assertThat(connack.getRestrictions().isSharedSubscriptionAvailable()).isTrue();
            second.connect();
            first.subscribeWith().topicFilter("$share/hive/" + topic).qos(MqttQos.AT_LEAST_ONCE).send();
            second.subscribeWith().topicFilter("$share/hive/" + topic).qos(MqttQos.AT_LEAST_ONCE).send();

            publishAll(publisher, topic);

            await().until(() -> received.size() >= MESSAGES);
            assertThat(received).containsExactlyInAnyOrderElementsOf(expectedPayloads());
        } finally {
            Mqtt5Clients.disconnectQuietly(first);
            Mqtt5Clients.disconnectQuietly(second);
        }
    }

    private static RawMqttConnection member(String hint, String filter, int qos) {
        RawMqttConnection client = Mqtt5Clients.connected(broker, hint);
        client.subscribe(1, filter, qos);
        return client;
    }

    private static void publishAll(RawMqttConnection publisher, String topic) {
        for (int i = 1; i <= MESSAGES; i++) {
            publisher.publishQos1(topic, "m" + i, i);
        }
    }

    private static List<String> expectedPayloads() {
        return IntStream.rangeClosed(1, MESSAGES).mapToObj(i -> "m" + i).toList();
    }

    private static List<String> payloads(List<MqttPacket> publishes) {
        return publishes.stream().map(MqttPacket::payloadAsString).toList();
    }
}
