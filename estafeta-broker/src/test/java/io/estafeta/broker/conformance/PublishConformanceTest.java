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

import static org.assertj.core.api.Assertions.assertThat;

/** A PUBLISH from a client: what the server refuses and how it acknowledges (MQTT 3.1.1 sections 3.3 to 3.7, 4.3). */
class PublishConformanceTest {

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
    void publishWithQosBits11ClosesTheConnection_MQTT_3_3_1_4() {
        try (RawMqttConnection client = connected("qos3")) {
            client.send(Packets.publish(TestNames.topic("qos3")).qos(3).packetId(1).payload("x").build());

            assertThat(client.awaitClosed()).isEmpty();
        }
    }

    @ParameterizedTest(name = "topic \"{0}\"")
    @ValueSource(strings = {"a/+", "a/#", "+", "#", "a/+/b", "sport/tennis#"})
    void publishToATopicNameWithWildcardsClosesTheConnection_MQTT_3_3_2_2(String topic) {
        try (RawMqttConnection client = connected("wildpub")) {
            client.send(Packets.publish(topic).payload("x").build());

            assertThat(client.awaitClosed()).isEmpty();
        }
    }

    @Test
    void publishToAnEmptyTopicClosesTheConnection_MQTT_4_7_3_1() {
        try (RawMqttConnection client = connected("emptytopic")) {
            client.send(Packets.publish("").payload("x").build());

            assertThat(client.awaitClosed()).isEmpty();
        }
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {1, 2})
    void publishWithQosAboveZeroAndPacketId0ClosesTheConnection_MQTT_2_3_1_1(int qos) {
        try (RawMqttConnection client = connected("pid0")) {
            client.send(Packets.publish(TestNames.topic("pid0")).qos(qos).packetId(0).payload("x").build());

            assertThat(client.awaitClosed()).isEmpty();
        }
    }

    @Test
    void qos1PublishIsAnsweredWithPubackOfTheSamePacketId_MQTT_4_3_2_2() {
        try (RawMqttConnection client = connected("qos1")) {
            client.send(Packets.publish(TestNames.topic("qos1")).qos(1).packetId(0x4321).payload("x").build());

            MqttPacket puback = client.receive(PacketType.PUBACK);
            assertThat(puback.packetId()).isEqualTo(0x4321);
        }
    }

    @Test
    void qos2PublishIsAnsweredWithPubrecAndPubrelWithPubcompOfTheSamePacketId_MQTT_4_3_3_2() {
        try (RawMqttConnection client = connected("qos2")) {
            client.send(Packets.publish(TestNames.topic("qos2")).qos(2).packetId(0x0102).payload("x").build());
            assertThat(client.receive(PacketType.PUBREC).packetId()).isEqualTo(0x0102);

            client.send(Packets.pubrel(0x0102));

            assertThat(client.receive(PacketType.PUBCOMP).packetId()).isEqualTo(0x0102);
        }
    }

    @Test
    void qos2PublishResentWithDupBeforePubrelIsDeliveredOnlyOnce_MQTT_4_3_3_2() {
        String topic = TestNames.topic("exactly");
        try (RawMqttConnection subscriber = connected("exactlysub");
             RawMqttConnection publisher = connected("exactlypub")) {
            subscriber.subscribe(1, topic, 0);

            publisher.send(Packets.publish(topic).qos(2).packetId(5).payload("once").build());
            publisher.expectAck(PacketType.PUBREC, 5);
            publisher.send(Packets.publish(topic).qos(2).packetId(5).dup(true).payload("once").build());
            publisher.expectAck(PacketType.PUBREC, 5);
            publisher.send(Packets.pubrel(5));
            publisher.expectAck(PacketType.PUBCOMP, 5);
            publisher.publishQos0(topic, "marker");

            assertThat(subscriber.receive(PacketType.PUBLISH).payloadAsString()).isEqualTo("once");
            assertThat(subscriber.receive(PacketType.PUBLISH).payloadAsString()).isEqualTo("marker");
        }
    }

    @Test
    void packetIdOfACompletedQos2FlowCanBeReusedForANewMessage_MQTT_2_3_1_3() {
        String topic = TestNames.topic("reuse");
        try (RawMqttConnection subscriber = connected("reusesub");
             RawMqttConnection publisher = connected("reusepub")) {
            subscriber.subscribe(1, topic, 0);

            publisher.publishQos2(topic, "first", 9);
            publisher.publishQos2(topic, "second", 9);

            assertThat(subscriber.receive(PacketType.PUBLISH).payloadAsString()).isEqualTo("first");
            assertThat(subscriber.receive(PacketType.PUBLISH).payloadAsString()).isEqualTo("second");
        }
    }

    @Test
    void pubrelWithFixedHeaderFlagsOtherThan0010ClosesTheConnection_MQTT_3_6_1_1() {
        try (RawMqttConnection client = connected("pubrelflags")) {
            client.send(Packets.publish(TestNames.topic("pubrelflags")).qos(2).packetId(3).payload("x").build());
            client.expectAck(PacketType.PUBREC, 3);

            client.send(Packets.packetWithId(PacketType.PUBREL, 0b0000, 3));

            assertThat(client.awaitClosed()).noneMatch(packet -> packet.type() == PacketType.PUBCOMP);
        }
    }

    @Test
    void pubrelForAnUnknownPacketIdIsAnsweredWithPubcomp_MQTT_4_3_3_2() {
        try (RawMqttConnection client = connected("pubrelunk")) {
            client.send(Packets.pubrel(4711));

            assertThat(client.receive(PacketType.PUBCOMP).packetId()).isEqualTo(4711);
        }
    }

    @Test
    void dupFlagOfAnIncomingPublishIsNotPassedOnToSubscribers_MQTT_3_3_1_3() {
        String topic = TestNames.topic("dupin");
        try (RawMqttConnection subscriber = connected("dupinsub");
             RawMqttConnection publisher = connected("dupinpub")) {
            subscriber.subscribe(1, topic, 1);

            publisher.send(Packets.publish(topic).qos(1).packetId(8).dup(true).payload("resent by client").build());
            publisher.expectAck(PacketType.PUBACK, 8);

            MqttPacket delivered = subscriber.receivePublishAndAcknowledge();
            assertThat(delivered.payloadAsString()).isEqualTo("resent by client");
            assertThat(delivered.dup()).isFalse();
        }
    }

    @Test
    void topicNameWithANullCharacterClosesTheConnection_MQTT_4_7_3_2() {
        try (RawMqttConnection client = connected("nullchar")) {
            client.send(Packets.publish("a/\0/b").qos(1).packetId(1).payload("x").build());

            assertThat(client.awaitClosed()).noneMatch(packet -> packet.type() == PacketType.PUBACK);
        }
    }

    @Test
    void topicNameThatIsNotWellFormedUtf8ClosesTheConnection_MQTT_1_5_3_1() {
        // PUBLISH QoS 0, topic of three bytes: 'a', then 0xC3 0x28 (a lead byte followed by a non-continuation)
        byte[] body = {0x00, 0x03, 'a', (byte) 0xC3, 0x28, 'x'};
        try (RawMqttConnection client = connected("badutf8")) {
            client.send(Packets.packet(PacketType.PUBLISH, 0, body));

            assertThat(client.awaitClosed()).isEmpty();
        }
    }

    @Test
    void payloadIsDeliveredByteForByte_MQTT_3_3_3() {
        String topic = TestNames.topic("bytes");
        byte[] payload = new byte[300];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        try (RawMqttConnection subscriber = connected("bytessub");
             RawMqttConnection publisher = connected("bytespub")) {
            subscriber.subscribe(1, topic, 0);

            publisher.send(Packets.publish(topic).payload(payload).build());

            assertThat(subscriber.receive(PacketType.PUBLISH).payload()).isEqualTo(payload);
        }
    }

    private static RawMqttConnection connected(String hint) {
        RawMqttConnection client = RawMqttConnection.open(broker);
        client.connectAccepted(TestNames.clientId(hint), true);
        return client;
    }
}
