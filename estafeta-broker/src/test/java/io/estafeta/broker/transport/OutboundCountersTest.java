package io.estafeta.broker.transport;

import io.estafeta.broker.metrics.BrokerMetrics;
import io.estafeta.broker.testsupport.MqttPacket;
import io.estafeta.broker.testsupport.Packets;
import io.estafeta.broker.testsupport.RawMqttConnection;
import io.estafeta.broker.testsupport.TestBroker;
import io.estafeta.broker.testsupport.TestNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deliveries are encoded by the connection ({@link PublishPacket}), not by Netty's encoder: the counters $SYS
 * and /metrics show must still count each as one packet, one message and its bytes.
 */
class OutboundCountersTest {

    private TestBroker broker;

    @BeforeEach
    void start() {
        broker = TestBroker.start(config -> config.sysInterval(Duration.ZERO));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private BrokerMetrics.Snapshot metrics() {
        return broker.estafeta().orElseThrow().metrics();
    }

    private static int wireSize(MqttPacket packet) {
        return 1 + Packets.remainingLength(packet.body().length).length + packet.body().length;
    }

    @Test
    void eachDeliveryCountsAsOnePacketOneMessageAndItsBytes() {
        String topic = TestNames.topic("counted");
        try (RawMqttConnection subscriber = RawMqttConnection.open(broker);
             RawMqttConnection publisher = RawMqttConnection.open(broker)) {
            subscriber.connectAccepted(TestNames.clientId("sub"), true);
            subscriber.subscribe(1, topic, 0);
            publisher.connectAccepted(TestNames.clientId("pub"), true);
            BrokerMetrics.Snapshot before = metrics();

            // A payload copied into the packet's buffer, and one shared between deliveries (MessageBytes).
            publisher.send(Packets.publish(topic).payload(new byte[10]).build());
            publisher.send(Packets.publish(topic).payload(new byte[MessageBytes.SHARED_PAYLOAD_MIN_BYTES * 2]).build());
            MqttPacket small = subscriber.receive();
            MqttPacket large = subscriber.receive();

            assertThat(large.payload()).hasSize(MessageBytes.SHARED_PAYLOAD_MIN_BYTES * 2);
            // Counted on the subscriber's loop as they were written. Nothing else was sent meanwhile: QoS 0 from
            // the publisher is not acknowledged.
            await().untilAsserted(() -> {
                BrokerMetrics.Snapshot after = metrics();
                assertThat(after.packetsSent() - before.packetsSent()).isEqualTo(2);
                assertThat(after.messagesSent() - before.messagesSent()).isEqualTo(2);
                assertThat(after.bytesSent() - before.bytesSent()).isEqualTo(wireSize(small) + wireSize(large));
            });
        }
    }
}
