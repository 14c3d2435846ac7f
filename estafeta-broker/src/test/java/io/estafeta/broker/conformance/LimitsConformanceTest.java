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

import static org.assertj.core.api.Assertions.assertThat;

/** Limits the broker enforces at the socket: packet size, Remaining Length encoding, keep-alive ceiling. */
class LimitsConformanceTest {

    private static final int MAX_PACKET_SIZE = 1024;
    private static final int MAX_KEEPALIVE = 60;
    private static final int IDENTIFIER_REJECTED = 0x02;

    private static TestBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start(config -> config.maxPacketSize(MAX_PACKET_SIZE).maxKeepalive(MAX_KEEPALIVE));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void packetLargerThanTheMaximumPacketSizeClosesTheConnection() {
        try (RawMqttConnection client = connected("toolarge")) {
            client.send(Packets.publish(TestNames.topic("toolarge")).qos(1).packetId(1)
                    .payload(new byte[2 * MAX_PACKET_SIZE]).build());

            assertThat(client.awaitClosed()).noneMatch(packet -> packet.type() == PacketType.PUBACK);
        }
    }

    @Test
    void packetWithinTheMaximumPacketSizeIsAccepted() {
        String topic = TestNames.topic("fits");
        try (RawMqttConnection client = connected("fits")) {
            client.subscribe(1, topic, 0);

            client.publishQos0(topic, "x".repeat(MAX_PACKET_SIZE / 2));

            assertThat(client.receive(PacketType.PUBLISH).payload()).hasSize(MAX_PACKET_SIZE / 2);
        }
    }

    @Test
    void remainingLengthOfFiveBytesClosesTheConnection_MQTT_2_2_3() {
        try (RawMqttConnection client = connected("rl5")) {
            // PUBLISH whose Remaining Length has a continuation bit on its fourth byte
            client.send(new byte[] {0x30, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00});

            assertThat(client.awaitClosed()).isEmpty();
        }
    }

    @Test
    void keepAliveAboveTheMaximumIsRefusedWithIdentifierRejected() {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            MqttPacket connack = client.connect(Packets.connect(TestNames.clientId("kamax"))
                    .keepAlive(2 * MAX_KEEPALIVE));

            assertThat(connack.returnCode()).isEqualTo(IDENTIFIER_REJECTED);
            client.awaitClosed();
        }
    }

    @Test
    void keepAliveEqualToTheMaximumIsAccepted() {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            MqttPacket connack = client.connect(Packets.connect(TestNames.clientId("kaeq")).keepAlive(MAX_KEEPALIVE));

            assertThat(connack.returnCode()).isZero();
        }
    }

    private static RawMqttConnection connected(String hint) {
        RawMqttConnection client = RawMqttConnection.open(broker);
        client.connectAccepted(TestNames.clientId(hint), true);
        return client;
    }
}
