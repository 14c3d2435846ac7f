package io.estafeta.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.estafeta.broker.config.TrafficLimits;
import io.estafeta.broker.metrics.BrokerMetrics;
import io.estafeta.broker.testsupport.MqttPacket;
import io.estafeta.broker.testsupport.PacketType;
import io.estafeta.broker.testsupport.Packets;
import io.estafeta.broker.testsupport.RawMqttConnection;
import io.estafeta.broker.testsupport.TestBroker;
import io.estafeta.broker.testsupport.TestNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte and packet counts behind $SYS {@code bytes/*}, {@code messages/*} and {@code /metrics}, to the
 * byte: one connection's whole conversation is known, so every count is too.
 */
class TrafficCounterTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private TestBroker broker;

    @AfterEach
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void everyByteAndPacketEachWayIsCountedOnce() {
        broker = TestBroker.start();
        assertConversationCountedExactly();
    }

    @Test
    void countsAreTheSameWithTheOutboundBudgetOff() {
        // The budget's own handler is then absent; the counts must not depend on it.
        broker = TestBroker.start(config -> config.trafficLimits(
                limits -> limits.withOutboundMemoryBudget(TrafficLimits.NO_LIMIT)));
        assertConversationCountedExactly();
    }

    private void assertConversationCountedExactly() {
        String topic = TestNames.topic("traffic");
        List<byte[]> sent = new ArrayList<>();
        List<MqttPacket> received = new ArrayList<>();
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            sent.add(Packets.connect(TestNames.clientId("traffic")).build());
            client.send(sent.getLast());
            received.add(client.receive(PacketType.CONNACK));
            sent.add(Packets.subscribe(1, topic, 1));
            client.send(sent.getLast());
            received.add(client.receive(PacketType.SUBACK));
            sent.add(Packets.publish(topic).qos(1).packetId(2).payload("counted").build());
            client.send(sent.getLast());
            // The PUBACK and the delivery of our own message, in either order.
            received.add(client.receive());
            received.add(client.receive());
            MqttPacket delivery = received.stream().filter(p -> p.type() == PacketType.PUBLISH).findFirst()
                    .orElseThrow();
            sent.add(Packets.puback(delivery.packetId()));
            client.send(sent.getLast());
            sent.add(Packets.pingreq());
            client.send(sent.getLast());
            received.add(client.receive(PacketType.PINGRESP));
            sent.add(Packets.disconnect());
            client.send(sent.getLast());
            client.awaitClosed();
        }
        long bytesSentByClient = sent.stream().mapToLong(packet -> packet.length).sum();
        long bytesReceivedByClient = received.stream().mapToLong(TrafficCounterTest::wireSize).sum();

        await().atMost(WAIT).untilAsserted(() -> {
            BrokerMetrics.Snapshot counts = broker.estafeta().orElseThrow().metrics();
            assertThat(counts.packetsReceived()).isEqualTo(sent.size());
            assertThat(counts.connectPacketsReceived()).isEqualTo(1);
            assertThat(counts.bytesReceived()).isEqualTo(bytesSentByClient);
            assertThat(counts.packetsSent()).isEqualTo(received.size());
            assertThat(counts.bytesSent()).isEqualTo(bytesReceivedByClient);
        });
    }

    /** Fixed header byte, Remaining Length, body. */
    private static long wireSize(MqttPacket packet) {
        return 1 + Packets.remainingLength(packet.body().length).length + packet.body().length;
    }
}
