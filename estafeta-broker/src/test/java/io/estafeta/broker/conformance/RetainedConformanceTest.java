package io.estafeta.broker.conformance;

import io.estafeta.broker.testsupport.MqttPacket;
import io.estafeta.broker.testsupport.PacketType;
import io.estafeta.broker.testsupport.Packets;
import io.estafeta.broker.testsupport.RawMqttConnection;
import io.estafeta.broker.testsupport.TestBroker;
import io.estafeta.broker.testsupport.TestNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Retained messages (MQTT 3.1.1 section 3.3.1.3). */
class RetainedConformanceTest {

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
    void retainedMessageIsStoredAndSentToANewSubscriberWithRetainSet_MQTT_3_3_1_6_and_3_3_1_8() {
        String topic = TestNames.topic("stored");
        try (RawMqttConnection publisher = connected("storedpub")) {
            publishRetained(publisher, topic, "kept", 1);

            try (RawMqttConnection subscriber = connected("storedsub")) {
                subscriber.subscribe(1, topic, 1);

                MqttPacket retained = subscriber.receivePublishAndAcknowledge();
                assertThat(retained.topic()).isEqualTo(topic);
                assertThat(retained.payloadAsString()).isEqualTo("kept");
                assertThat(retained.retain()).isTrue();
                assertThat(retained.qos()).isEqualTo(1);
            }
        }
    }

    @Test
    void retainedMessageIsSentToANewSubscriberThroughAWildcardFilter_MQTT_3_3_1_6() {
        String topic = TestNames.topic("wildret");
        try (RawMqttConnection publisher = connected("wildretpub")) {
            publishRetained(publisher, topic + "/deep/down", "found", 1);

            try (RawMqttConnection subscriber = connected("wildretsub")) {
                subscriber.subscribe(1, topic + "/#", 0);

                MqttPacket retained = subscriber.receive(PacketType.PUBLISH);
                assertThat(retained.topic()).isEqualTo(topic + "/deep/down");
                assertThat(retained.retain()).isTrue();
            }
        }
    }

    @Test
    void liveDeliveryOfARetainedMessageToAnExistingSubscriberHasRetainCleared_MQTT_3_3_1_9() {
        String topic = TestNames.topic("live");
        try (RawMqttConnection subscriber = connected("livesub");
             RawMqttConnection publisher = connected("livepub")) {
            subscriber.subscribe(1, topic, 1);

            publishRetained(publisher, topic, "live and kept", 1);

            MqttPacket live = subscriber.receivePublishAndAcknowledge();
            assertThat(live.payloadAsString()).isEqualTo("live and kept");
            assertThat(live.retain()).isFalse();
        }
    }

    @Test
    void onlyTheLastRetainedMessagePerTopicIsKept_MQTT_3_3_1_5() {
        String topic = TestNames.topic("last");
        try (RawMqttConnection publisher = connected("lastpub")) {
            publishRetained(publisher, topic, "first", 1);
            publishRetained(publisher, topic, "second", 2);

            try (RawMqttConnection subscriber = connected("lastsub")) {
                subscriber.subscribe(1, topic, 0);
                MqttPacket retained = subscriber.receive(PacketType.PUBLISH);
                publisher.publishQos1(topic, "marker", 3);

                assertThat(retained.payloadAsString()).isEqualTo("second");
                assertThat(receiveUntil(subscriber, "marker")).containsExactly("marker");
            }
        }
    }

    @Test
    void zeroByteRetainedMessageIsDeliveredToCurrentSubscribersAndDeletesTheRetainedOne_MQTT_3_3_1_10_and_3_3_1_11() {
        String topic = TestNames.topic("delete");
        try (RawMqttConnection publisher = connected("deletepub");
             RawMqttConnection current = connected("deletecur")) {
            publishRetained(publisher, topic, "soon gone", 1);
            current.subscribe(1, topic, 0);
            assertThat(current.receive(PacketType.PUBLISH).payloadAsString()).isEqualTo("soon gone");

            publishRetained(publisher, topic, "", 2);

            MqttPacket empty = current.receive(PacketType.PUBLISH);
            assertThat(empty.payload()).isEmpty();
            assertThat(empty.retain()).isFalse();

            try (RawMqttConnection later = connected("deletelater")) {
                later.subscribe(1, topic, 0);
                publisher.publishQos1(topic, "marker", 3);

                assertThat(later.receive(PacketType.PUBLISH).payloadAsString())
                        .as("neither the deleted message nor the empty one is retained").isEqualTo("marker");
            }
        }
    }

    @Test
    void publishWithoutRetainLeavesTheRetainedMessageAlone_MQTT_3_3_1_12() {
        String topic = TestNames.topic("keep");
        try (RawMqttConnection publisher = connected("keeppub")) {
            publishRetained(publisher, topic, "retained", 1);
            publisher.publishQos1(topic, "not retained", 2);

            try (RawMqttConnection subscriber = connected("keepsub")) {
                subscriber.subscribe(1, topic, 0);

                MqttPacket retained = subscriber.receive(PacketType.PUBLISH);
                assertThat(retained.payloadAsString()).isEqualTo("retained");
                assertThat(retained.retain()).isTrue();
            }
        }
    }

    @Test
    void retainedMessageIsSentAgainOnEverySubscribe_MQTT_3_3_1_6() {
        String topic = TestNames.topic("again");
        try (RawMqttConnection publisher = connected("againpub");
             RawMqttConnection subscriber = connected("againsub")) {
            publishRetained(publisher, topic, "again", 1);

            subscriber.subscribe(1, topic, 0);
            assertThat(subscriber.receive(PacketType.PUBLISH).retain()).isTrue();
            subscriber.send(Packets.unsubscribe(2, topic));
            subscriber.receive(PacketType.UNSUBACK);
            subscriber.subscribe(3, topic, 0);

            MqttPacket second = subscriber.receive(PacketType.PUBLISH);
            assertThat(second.payloadAsString()).isEqualTo("again");
            assertThat(second.retain()).isTrue();
        }
    }

    @Test
    void retainedPublishIsRefusedWhenRetainIsNotAvailable() {
        try (TestBroker noRetain = TestBroker.start(config -> config.retainAvailable(false));
             RawMqttConnection client = RawMqttConnection.open(noRetain)) {
            client.connectAccepted(TestNames.clientId("noretain"), true);

            client.send(Packets.publish(TestNames.topic("noretain")).qos(1).packetId(1).retain(true)
                    .payload("x").build());

            assertThat(client.awaitClosed()).noneMatch(packet -> packet.type() == PacketType.PUBACK);
        }
    }

    @Test
    void nonRetainedPublishStillWorksWhenRetainIsNotAvailable() {
        String topic = TestNames.topic("noretainok");
        try (TestBroker noRetain = TestBroker.start(config -> config.retainAvailable(false));
             RawMqttConnection client = RawMqttConnection.open(noRetain)) {
            client.connectAccepted(TestNames.clientId("noretainok"), true);
            client.subscribe(1, topic, 0);

            client.publishQos0(topic, "plain");

            assertThat(client.receive(PacketType.PUBLISH).payloadAsString()).isEqualTo("plain");
        }
    }

    private static void publishRetained(RawMqttConnection publisher, String topic, String payload, int packetId) {
        publisher.send(Packets.publish(topic).qos(1).packetId(packetId).retain(true).payload(payload).build());
        publisher.expectAck(PacketType.PUBACK, packetId);
    }

    private static List<String> receiveUntil(RawMqttConnection subscriber, String lastPayload) {
        List<String> payloads = new ArrayList<>();
        do {
            payloads.add(subscriber.receivePublishAndAcknowledge().payloadAsString());
        } while (!payloads.getLast().equals(lastPayload));
        return payloads;
    }

    private static RawMqttConnection connected(String hint) {
        RawMqttConnection client = RawMqttConnection.open(broker);
        client.connectAccepted(TestNames.clientId(hint), true);
        return client;
    }
}
