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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** SUBSCRIBE, SUBACK, UNSUBSCRIBE and UNSUBACK (MQTT 3.1.1 sections 3.8 to 3.11). */
class SubscribeConformanceTest {

    private static final int FAILURE = 0x80;

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
    void subackCarriesThePacketIdOfTheSubscribe_MQTT_3_8_4_2() {
        try (RawMqttConnection client = connected("subid")) {
            client.send(Packets.subscribe(0xBEEF, TestNames.topic("subid"), 1));

            assertThat(client.receive(PacketType.SUBACK).packetId()).isEqualTo(0xBEEF);
        }
    }

    @Test
    void subackHasOneReturnCodePerFilterInOrderAndGrantsTheRequestedQos_MQTT_3_8_4_5_and_3_8_4_6() {
        try (RawMqttConnection client = connected("subcodes")) {
            client.send(Packets.subscribe(3)
                    .filter(TestNames.topic("two"), 2)
                    .filter(TestNames.topic("zero"), 0)
                    .filter(TestNames.topic("one") + "/#", 1)
                    .filter("+/" + TestNames.topic("any"), 2)
                    .build());

            MqttPacket suback = client.receive(PacketType.SUBACK);
            assertThat(suback.packetId()).isEqualTo(3);
            assertThat(suback.returnCodes()).containsExactly(2, 0, 1, 2);
        }
    }

    @ParameterizedTest(name = "invalid filter \"{0}\"")
    @ValueSource(strings = {"a/#/b", "a+", "", "a/b#", "+a/b"})
    void invalidFilterGetsFailureCodeWhileOthersInTheSamePacketAreGranted_MQTT_4_7_1_2_and_4_7_1_3(String invalid) {
        String before = TestNames.topic("valid");
        String after = TestNames.topic("valid");
        try (RawMqttConnection client = connected("badfilter")) {
            client.send(Packets.subscribe(9)
                    .filter(before, 1)
                    .filter(invalid, 1)
                    .filter(after, 2)
                    .build());

            MqttPacket suback = client.receive(PacketType.SUBACK);
            assertThat(suback.packetId()).isEqualTo(9);
            assertThat(suback.returnCodes()).containsExactly(1, FAILURE, 2);

            // the valid subscriptions work
            client.publishQos0(after, "still subscribed");
            assertThat(client.receive(PacketType.PUBLISH).topic()).isEqualTo(after);
        }
    }

    @Test
    void subscribeWithoutFiltersClosesTheConnection_MQTT_3_8_3_3() {
        try (RawMqttConnection client = connected("nofilter")) {
            client.send(Packets.subscribe(1).build());

            assertThat(client.awaitClosed()).isEmpty();
        }
    }

    @ParameterizedTest(name = "flags {0}")
    @ValueSource(ints = {0b0000, 0b0001, 0b0011, 0b1010})
    void subscribeWithFixedHeaderFlagsOtherThan0010ClosesTheConnection_MQTT_3_8_1_1(int flags) {
        try (RawMqttConnection client = connected("subflags")) {
            client.send(Packets.subscribe(1).filter(TestNames.topic("subflags"), 0).flags(flags).build());

            assertThat(client.awaitClosed()).isEmpty();
        }
    }

    @Test
    void subscribeRequestingQos3ClosesTheConnection_MQTT_3_8_3_4() {
        try (RawMqttConnection client = connected("subqos3")) {
            client.send(Packets.subscribe(1).filter(TestNames.topic("subqos3"), 3).build());

            assertThat(client.awaitClosed()).isEmpty();
        }
    }

    @Test
    void resubscribingToTheSameFilterReplacesTheSubscriptionAndResendsRetained_MQTT_3_8_4_3() {
        String topic = TestNames.topic("resub");
        try (RawMqttConnection publisher = connected("resubpub");
             RawMqttConnection client = connected("resub")) {
            publisher.send(Packets.publish(topic).qos(1).packetId(1).retain(true).payload("kept").build());
            publisher.expectAck(PacketType.PUBACK, 1);

            client.subscribe(1, topic, 0);
            MqttPacket firstRetained = client.receive(PacketType.PUBLISH);
            assertThat(firstRetained.qos()).isZero();
            assertThat(firstRetained.retain()).isTrue();

            assertThat(client.subscribe(2, topic, 1).returnCodes()).containsExactly(1);
            MqttPacket resent = client.receivePublishAndAcknowledge();
            assertThat(resent.payloadAsString()).isEqualTo("kept");
            assertThat(resent.retain()).isTrue();
            assertThat(resent.qos()).isEqualTo(1);

            // One subscription, not two: a live message comes once, at the new QoS.
            publisher.publishQos1(topic, "live", 2);
            publisher.publishQos1(topic, "end", 3);
            List<MqttPacket> live = receiveUntilPayload(client, "end");
            assertThat(live).extracting(MqttPacket::payloadAsString).containsExactly("live", "end");
            assertThat(live).extracting(MqttPacket::qos).containsOnly(1);
        } finally {
            clearRetained(topic);
        }
    }

    @Test
    void unsubackCarriesThePacketIdOfTheUnsubscribe_MQTT_3_10_4_4() {
        String topic = TestNames.topic("unsub");
        try (RawMqttConnection client = connected("unsub")) {
            client.subscribe(1, topic, 1);

            client.send(Packets.unsubscribe(0x1234, topic));

            assertThat(client.receive(PacketType.UNSUBACK).packetId()).isEqualTo(0x1234);
        }
    }

    @Test
    void unsubscribeMatchingNothingIsStillAnsweredWithUnsuback_MQTT_3_10_4_5() {
        try (RawMqttConnection client = connected("unsubnone")) {
            client.send(Packets.unsubscribe(77, TestNames.topic("never"), "never/+/subscribed"));

            assertThat(client.receive(PacketType.UNSUBACK).packetId()).isEqualTo(77);
        }
    }

    @Test
    void afterUnsubscribeNoMoreMessagesAreDelivered_MQTT_3_10_4_1() {
        String dropped = TestNames.topic("dropped");
        String kept = TestNames.topic("kept");
        try (RawMqttConnection client = connected("unsubstop");
             RawMqttConnection publisher = connected("unsubpub")) {
            client.subscribe(1, dropped, 0);
            client.subscribe(2, kept, 0);
            client.send(Packets.unsubscribe(3, dropped));
            client.receive(PacketType.UNSUBACK);

            // One publisher, one connection: the server handles its packets in order, so the message on the
            // dropped topic would have arrived before the one on the kept topic.
            publisher.publishQos1(dropped, "should not arrive", 1);
            publisher.publishQos1(kept, "arrives", 2);

            assertThat(client.receive(PacketType.PUBLISH).payloadAsString()).isEqualTo("arrives");
        }
    }

    @ParameterizedTest(name = "flags {0}")
    @ValueSource(ints = {0b0000, 0b0011, 0b1010})
    void unsubscribeWithFixedHeaderFlagsOtherThan0010ClosesTheConnection_MQTT_3_10_1_1(int flags) {
        String topic = TestNames.topic("unsubflags");
        try (RawMqttConnection client = connected("unsubflags")) {
            client.subscribe(1, topic, 0);

            client.send(Packets.unsubscribeWithFlags(flags, 2, topic));

            assertThat(client.awaitClosed()).noneMatch(packet -> packet.type() == PacketType.UNSUBACK);
        }
    }

    @Test
    void unsubscribeWithoutFiltersClosesTheConnection_MQTT_3_10_3_2() {
        try (RawMqttConnection client = connected("unsubempty")) {
            client.send(Packets.unsubscribe(5));

            assertThat(client.awaitClosed()).isEmpty();
        }
    }

    private static RawMqttConnection connected(String hint) {
        RawMqttConnection client = RawMqttConnection.open(broker);
        client.connectAccepted(TestNames.clientId(hint), true);
        return client;
    }

    private static List<MqttPacket> receiveUntilPayload(RawMqttConnection client, String lastPayload) {
        List<MqttPacket> received = new ArrayList<>();
        MqttPacket publish;
        do {
            publish = client.receivePublishAndAcknowledge();
            received.add(publish);
        } while (!publish.payloadAsString().equals(lastPayload));
        return received;
    }

    private static void clearRetained(String topic) {
        try (RawMqttConnection client = connected("clear")) {
            client.send(Packets.publish(topic).qos(1).packetId(1).retain(true).build());
            client.expectAck(PacketType.PUBACK, 1);
            client.disconnect();
        }
    }
}
