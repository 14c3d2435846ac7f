package io.estafeta.broker.conformance;

import io.estafeta.broker.testsupport.MqttPacket;
import io.estafeta.broker.testsupport.PacketType;
import io.estafeta.broker.testsupport.Packets;
import io.estafeta.broker.testsupport.PahoAsyncPublisher;
import io.estafeta.broker.testsupport.PahoTestClient;
import io.estafeta.broker.testsupport.RawMqttConnection;
import io.estafeta.broker.testsupport.TestBroker;
import io.estafeta.broker.testsupport.TestNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Session state across connections: Clean Session, offline messages, redelivery (MQTT 3.1.1 sections 3.1.2.4, 4.1, 4.4). */
class SessionConformanceTest {

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
    void cleanSessionDiscardsThePreviousSessionAndItsSubscriptions_MQTT_3_1_2_6() {
        String clientId = TestNames.clientId("clean");
        String forgotten = TestNames.topic("forgotten");
        String marker = TestNames.topic("marker");
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            client.connectAccepted(clientId, false);
            client.subscribe(1, forgotten, 1);
            client.disconnect();
        }
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            assertThat(client.connectAccepted(clientId, true).sessionPresent()).isFalse();
            client.subscribe(1, marker, 0);

            client.publishQos0(forgotten, "to the old subscription");
            client.publishQos0(marker, "marker");

            assertThat(client.receive(PacketType.PUBLISH).topic()).isEqualTo(marker);
            client.disconnect();
        }
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            assertThat(client.connectAccepted(clientId, false).sessionPresent())
                    .as("a clean session's state ends with its connection").isFalse();
        }
    }

    @Test
    void subscriptionsSurviveAReconnectWithoutCleanSession_MQTT_3_1_2_4() {
        String clientId = TestNames.clientId("survive");
        String topic = TestNames.topic("survive");
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            client.connectAccepted(clientId, false);
            client.subscribe(1, topic, 1);
            client.disconnect();
        }
        try (RawMqttConnection client = RawMqttConnection.open(broker);
             RawMqttConnection publisher = connected("survivepub")) {
            assertThat(client.connectAccepted(clientId, false).sessionPresent()).isTrue();

            publisher.publishQos1(topic, "still subscribed", 1);

            MqttPacket publish = client.receivePublishAndAcknowledge();
            assertThat(publish.payloadAsString()).isEqualTo("still subscribed");
            assertThat(publish.qos()).isEqualTo(1);
        }
    }

    @Test
    void qos1And2MessagesPublishedWhileOfflineAreDeliveredOnReconnectButQos0IsNot_MQTT_3_1_2_5() {
        String clientId = TestNames.clientId("offline");
        String topic = TestNames.topic("offline");
        subscribeAndLeave(broker, clientId, topic, 2);
        try (RawMqttConnection publisher = connected("offlinepub")) {
            publisher.publishQos0(topic, "zero");
            publisher.publishQos1(topic, "one", 1);
            publisher.publishQos2(topic, "two", 2);
        }
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            assertThat(client.connectAccepted(clientId, false).sessionPresent()).isTrue();

            MqttPacket one = client.receivePublishAndAcknowledge();
            MqttPacket two = client.receivePublishAndAcknowledge();

            assertThat(one.payloadAsString()).isEqualTo("one");
            assertThat(one.qos()).isEqualTo(1);
            assertThat(two.payloadAsString()).isEqualTo("two");
            assertThat(two.qos()).isEqualTo(2);
        }
    }

    @Test
    void qos0MessagesPublishedWhileOfflineAreDeliveredWhenQueueingQos0IsOn() {
        try (TestBroker queueing = TestBroker.start(config -> config.queueQos0Messages(true))) {
            String clientId = TestNames.clientId("offline0");
            String topic = TestNames.topic("offline0");
            subscribeAndLeave(queueing, clientId, topic, 1);
            try (RawMqttConnection publisher = RawMqttConnection.open(queueing)) {
                publisher.connectAccepted(TestNames.clientId("offline0pub"), true);
                publisher.publishQos0(topic, "zero");
                publisher.publishQos1(topic, "one", 1);
            }
            try (RawMqttConnection client = RawMqttConnection.open(queueing)) {
                assertThat(client.connectAccepted(clientId, false).sessionPresent()).isTrue();

                assertThat(client.receivePublishAndAcknowledge().payloadAsString()).isEqualTo("zero");
                assertThat(client.receivePublishAndAcknowledge().payloadAsString()).isEqualTo("one");
            }
        }
    }

    @Test
    void unacknowledgedQos1PublishIsResentWithDupAndTheSamePacketIdOnReconnect_MQTT_4_4_0_1() {
        String clientId = TestNames.clientId("resend1");
        String topic = TestNames.topic("resend1");
        MqttPacket first;
        try (RawMqttConnection client = RawMqttConnection.open(broker);
             RawMqttConnection publisher = connected("resend1pub")) {
            client.connectAccepted(clientId, false);
            client.subscribe(1, topic, 1);
            publisher.publishQos1(topic, "ack me later", 1);
            first = client.receive(PacketType.PUBLISH);
            assertThat(first.dup()).isFalse();
            // gone without PUBACK
        }
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            assertThat(client.connectAccepted(clientId, false).sessionPresent()).isTrue();

            MqttPacket resent = client.receive(PacketType.PUBLISH);
            assertThat(resent.dup()).isTrue();
            assertThat(resent.packetId()).isEqualTo(first.packetId());
            assertThat(resent.qos()).isEqualTo(1);
            assertThat(resent.payloadAsString()).isEqualTo("ack me later");
            client.send(Packets.puback(resent.packetId()));
        }
    }

    @Test
    void unacknowledgedQos2PublishIsResentWithDupAndTheSamePacketIdOnReconnect_MQTT_4_4_0_1() {
        String clientId = TestNames.clientId("resend2");
        String topic = TestNames.topic("resend2");
        MqttPacket first;
        try (RawMqttConnection client = RawMqttConnection.open(broker);
             RawMqttConnection publisher = connected("resend2pub")) {
            client.connectAccepted(clientId, false);
            client.subscribe(1, topic, 2);
            publisher.publishQos2(topic, "no pubrec yet", 1);
            first = client.receive(PacketType.PUBLISH);
            // gone without PUBREC
        }
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            assertThat(client.connectAccepted(clientId, false).sessionPresent()).isTrue();

            MqttPacket resent = client.receive(PacketType.PUBLISH);
            assertThat(resent.dup()).isTrue();
            assertThat(resent.packetId()).isEqualTo(first.packetId());
            assertThat(resent.qos()).isEqualTo(2);
            assertThat(resent.payloadAsString()).isEqualTo("no pubrec yet");
        }
    }

    @Test
    void unacknowledgedMessagesAreResentInTheirOriginalOrder_MQTT_4_6_0_1() {
        String clientId = TestNames.clientId("resendord");
        String topic = TestNames.topic("resendord");
        List<Integer> firstIds = new ArrayList<>();
        try (RawMqttConnection client = RawMqttConnection.open(broker);
             RawMqttConnection publisher = connected("resendordpub")) {
            client.connectAccepted(clientId, false);
            client.subscribe(1, topic, 1);
            for (int i = 1; i <= 3; i++) {
                publisher.publishQos1(topic, "m" + i, i);
            }
            for (int i = 1; i <= 3; i++) {
                firstIds.add(client.receive(PacketType.PUBLISH).packetId());
            }
            // gone without acknowledging any
        }
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            client.connectAccepted(clientId, false);

            List<MqttPacket> resent = List.of(client.receivePublishAndAcknowledge(),
                    client.receivePublishAndAcknowledge(), client.receivePublishAndAcknowledge());

            assertThat(resent).extracting(MqttPacket::payloadAsString).containsExactly("m1", "m2", "m3");
            assertThat(resent).extracting(MqttPacket::packetId).containsExactlyElementsOf(firstIds);
            assertThat(resent).allMatch(MqttPacket::dup);
        }
    }

    @Test
    void pubrelIsResentOnReconnectForAMessageTheClientHadPubreced_MQTT_4_4_0_1() {
        String clientId = TestNames.clientId("resendrel");
        String topic = TestNames.topic("resendrel");
        int packetId;
        try (RawMqttConnection client = RawMqttConnection.open(broker);
             RawMqttConnection publisher = connected("resendrelpub")) {
            client.connectAccepted(clientId, false);
            client.subscribe(1, topic, 2);
            publisher.publishQos2(topic, "half done", 1);
            packetId = client.receive(PacketType.PUBLISH).packetId();
            client.send(Packets.pubrec(packetId));
            client.expectAck(PacketType.PUBREL, packetId);
            // gone without PUBCOMP
        }
        try (RawMqttConnection client = RawMqttConnection.open(broker);
             RawMqttConnection publisher = connected("resendrelpub")) {
            assertThat(client.connectAccepted(clientId, false).sessionPresent()).isTrue();

            MqttPacket resent = client.receive();
            assertThat(resent.type()).as("the message itself must not come again").isEqualTo(PacketType.PUBREL);
            assertThat(resent.packetId()).isEqualTo(packetId);
            client.send(Packets.pubcomp(packetId));

            publisher.publishQos1(topic, "next", 1);
            assertThat(client.receivePublishAndAcknowledge().payloadAsString()).isEqualTo("next");
        }
    }

    /**
     * The acceptance test of QoS 2: a Paho publisher, a persistent subscriber that drops its connection in
     * the middle of the flow (right after a PUBREC, with more messages unread) while more are published,
     * and reconnects. Every message must reach it exactly once, in order [MQTT-4.3.3-2], [MQTT-4.4.0-1].
     */
    @Test
    void qos2MessagesReachAPersistentSubscriberExactlyOnceAcrossAReconnect_MQTT_4_3_3_2() {
        String clientId = TestNames.clientId("exactly");
        String topic = TestNames.topic("exactly");
        Qos2Receiver receiver = new Qos2Receiver();
        try (PahoTestClient publisher = PahoTestClient.connect(broker, TestNames.clientId("exactlypub"), true)) {
            try (RawMqttConnection subscriber = RawMqttConnection.open(broker)) {
                subscriber.connectAccepted(clientId, false);
                subscriber.subscribe(1, topic, 2);
                for (int i = 0; i < 10; i++) {
                    publisher.publish(topic, Integer.toString(i), 2, false);
                }
                while (receiver.delivered.size() < 5) {
                    receiver.handle(subscriber, subscriber.receive());
                }
                // dropped right after the 5th PUBREC, without DISCONNECT, with messages still unread
            }
            for (int i = 10; i < 20; i++) {
                publisher.publish(topic, Integer.toString(i), 2, false);
            }
            try (RawMqttConnection subscriber = RawMqttConnection.open(broker)) {
                assertThat(subscriber.connectAccepted(clientId, false).sessionPresent()).isTrue();
                publisher.publish(topic, "end", 2, false);

                while (!receiver.delivered.contains("end") || !receiver.awaitingPubrel.isEmpty()) {
                    receiver.handle(subscriber, subscriber.receive());
                }
            }
        }
        List<String> expected = new ArrayList<>(IntStream.range(0, 20).mapToObj(Integer::toString).toList());
        expected.add("end");
        assertThat(receiver.delivered).containsExactlyElementsOf(expected);
    }

    @Test
    void connectingWithTheIdOfAConnectedPersistentClientTakesOverItsSession_MQTT_3_1_4_2() {
        String clientId = TestNames.clientId("takeover");
        String topic = TestNames.topic("takeover");
        try (RawMqttConnection first = RawMqttConnection.open(broker);
             RawMqttConnection second = RawMqttConnection.open(broker);
             RawMqttConnection publisher = connected("takeoverpub")) {
            first.connectAccepted(clientId, false);
            first.subscribe(1, topic, 1);

            assertThat(second.connectAccepted(clientId, false).sessionPresent()).isTrue();
            first.awaitClosed();
            publisher.publishQos1(topic, "to the new connection", 1);

            assertThat(second.receivePublishAndAcknowledge().payloadAsString()).isEqualTo("to the new connection");
        }
    }

    /**
     * With a queue of 5 and an in-flight window of 2, an offline persistent subscriber keeps the first
     * messages up to those limits and the newest are dropped; the broker goes on serving everyone.
     */
    @Test
    void offlineQueueIsBoundedAndKeepsTheOldestMessages() {
        int maxQueued = 5;
        int maxInflight = 2;
        int published = 30;
        try (TestBroker bounded = TestBroker.start(config -> config
                .maxQueuedMessages(maxQueued)
                .maxInflightMessages(maxInflight))) {
            String clientId = TestNames.clientId("bounded");
            String topic = TestNames.topic("bounded");
            subscribeAndLeave(bounded, clientId, topic, 1);
            try (PahoTestClient publisher = PahoTestClient.connect(bounded, TestNames.clientId("boundpub"), true)) {
                for (int i = 0; i < published; i++) {
                    publisher.publish(topic, Integer.toString(i), 1, false);
                }
            }

            List<String> received = new ArrayList<>();
            try (RawMqttConnection client = RawMqttConnection.open(bounded);
                 PahoAsyncPublisher marker = PahoAsyncPublisher.connect(bounded, TestNames.clientId("boundend"), 1)) {
                assertThat(client.connectAccepted(clientId, false).sessionPresent()).isTrue();
                received.add(client.receivePublishAndAcknowledge().payloadAsString());
                marker.publish(topic, "end", 1);
                while (!received.getLast().equals("end")) {
                    received.add(client.receivePublishAndAcknowledge().payloadAsString());
                }
            }

            List<String> queued = received.subList(0, received.size() - 1);
            assertThat(queued).hasSizeBetween(maxQueued, maxQueued + maxInflight);
            assertThat(queued).containsExactlyElementsOf(
                    IntStream.range(0, queued.size()).mapToObj(Integer::toString).toList());
            try (RawMqttConnection another = RawMqttConnection.open(bounded)) {
                another.connectAccepted(TestNames.clientId("stillup"), true);
            }
        }
    }

    private static void subscribeAndLeave(TestBroker target, String clientId, String topic, int qos) {
        try (RawMqttConnection client = RawMqttConnection.open(target)) {
            client.connectAccepted(clientId, false);
            client.subscribe(1, topic, qos);
            client.disconnect();
        }
    }

    private static RawMqttConnection connected(String hint) {
        RawMqttConnection client = RawMqttConnection.open(broker);
        client.connectAccepted(TestNames.clientId(hint), true);
        return client;
    }

    /**
     * The receiving side of QoS 2 as a client keeps it in its session (the specification's method B): a
     * message is handed to the application when its PUBLISH first arrives, and its packet id is remembered
     * until the PUBREL, so a re-sent PUBLISH with that id is recognised as the same message.
     */
    private static final class Qos2Receiver {
        final List<String> delivered = new ArrayList<>();
        final Set<Integer> awaitingPubrel = new HashSet<>();

        void handle(RawMqttConnection connection, MqttPacket packet) {
            switch (packet.type()) {
                case PUBLISH -> {
                    assertThat(packet.qos()).isEqualTo(2);
                    if (awaitingPubrel.add(packet.packetId())) {
                        delivered.add(packet.payloadAsString());
                    } else {
                        assertThat(packet.dup()).as("a re-sent PUBLISH has DUP set: %s", packet).isTrue();
                    }
                    connection.send(Packets.pubrec(packet.packetId()));
                }
                case PUBREL -> {
                    awaitingPubrel.remove(packet.packetId());
                    connection.send(Packets.pubcomp(packet.packetId()));
                }
                default -> throw new AssertionError("unexpected " + packet);
            }
        }
    }
}
