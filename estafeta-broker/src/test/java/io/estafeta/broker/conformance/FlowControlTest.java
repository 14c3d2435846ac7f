package io.estafeta.broker.conformance;

import io.estafeta.broker.testsupport.MqttPacket;
import io.estafeta.broker.testsupport.PahoAsyncPublisher;
import io.estafeta.broker.testsupport.PahoTestClient;
import io.estafeta.broker.testsupport.PacketType;
import io.estafeta.broker.testsupport.Packets;
import io.estafeta.broker.testsupport.RawMqttConnection;
import io.estafeta.broker.testsupport.TestBroker;
import io.estafeta.broker.testsupport.TestNames;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static io.estafeta.broker.testsupport.Waiting.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What happens when a subscriber cannot keep up: acknowledged QoS 1 messages are never dropped for an online
 * subscriber (the broker slows the publisher instead), and one stalled subscriber does not stall others.
 */
class FlowControlTest {

    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(20);
    /** Publisher batch: small enough that the healthy subscriber is never far behind (kernel buffers hold it). */
    private static final int BATCH = 100;

    @Test
    void slowQos1SubscriberGetsEveryMessageInOrderOnceItResumes() {
        int maxInflight = 2;
        int maxQueued = 10;
        int count = 200;
        try (TestBroker broker = TestBroker.start(config -> config
                .maxInflightMessages(maxInflight)
                .maxQueuedMessages(maxQueued))) {
            String topic = TestNames.topic("slow");
            try (RawMqttConnection subscriber = RawMqttConnection.open(broker);
                 PahoAsyncPublisher publisher = PahoAsyncPublisher.connect(broker, TestNames.clientId("slowpub"),
                         count)) {
                subscriber.connectAccepted(TestNames.clientId("slowsub"), true);
                subscriber.subscribe(1, topic, 1);

                for (int i = 0; i < count; i++) {
                    publisher.publish(topic, Integer.toString(i), 1);
                }
                // The subscriber reads and acknowledges nothing until the broker has taken at least a full
                // queue's worth: from then on it is holding messages it must not lose.
                await().until(() -> publisher.completed() >= maxQueued);

                List<String> received = new ArrayList<>();
                while (received.size() < count) {
                    MqttPacket publish = subscriber.receivePublishAndAcknowledge();
                    received.add(publish.payloadAsString());
                }

                assertThat(received).containsExactlyElementsOf(
                        IntStream.range(0, count).mapToObj(Integer::toString).toList());
                publisher.awaitAllCompleted(DRAIN_TIMEOUT);
            }
        }
    }

    @Test
    void qos0FloodToASubscriberThatDoesNotReadDoesNotStopAHealthySubscriber() {
        int count = 6000;
        byte[] payload = new byte[1024];
        try (TestBroker broker = TestBroker.start()) {
            String topic = TestNames.topic("flood");
            try (RawMqttConnection stalled = RawMqttConnection.open(broker, 4096);
                 PahoTestClient healthy = PahoTestClient.connect(broker, TestNames.clientId("healthy"), true);
                 RawMqttConnection publisher = RawMqttConnection.open(broker)) {
                stalled.connectAccepted(TestNames.clientId("stalled"), true);
                stalled.subscribe(1, topic, 0);
                healthy.subscribe(topic, 0);
                publisher.connectAccepted(TestNames.clientId("flooder"), true);

                // Written from another thread: if the broker wrongly pushed back on the publisher, the writes
                // would block; closing the publisher at the end releases them. The publisher goes no faster
                // than the healthy subscriber reads, so every loss there is the stalled one's doing.
                Thread.ofVirtual().start(() -> {
                    try {
                        for (int i = 0; i < count; i++) {
                            publisher.send(Packets.publish(topic).payload(withNumber(payload, i)).build());
                            if ((i + 1) % BATCH == 0) {
                                int sent = i + 1;
                                await().atMost(DRAIN_TIMEOUT).until(() -> healthy.received().size() >= sent);
                            }
                        }
                    } catch (RuntimeException stoppedByTheTest) {
                        // the test ended (and closed the publisher) or the broker stalled it: the test reports
                    }
                });

                await().atMost(DRAIN_TIMEOUT).until(() -> healthy.received().size() >= count);
                assertThat(healthy.received().payloads()).extracting(FlowControlTest::numberOf)
                        .containsExactlyElementsOf(IntStream.range(0, count).boxed().toList());
            }
        }
    }

    private static byte[] withNumber(byte[] template, int number) {
        byte[] payload = template.clone();
        byte[] digits = Integer.toString(number).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, payload, 0, digits.length);
        payload[digits.length] = ';';
        return payload;
    }

    private static int numberOf(String payload) {
        return Integer.parseInt(payload.substring(0, payload.indexOf(';')));
    }

    @Test
    void a311ClientMayHaveMoreUnreleasedQos2MessagesThanTheServersInflightLimit() {
        // MQTT 3.1.1 has no Receive Maximum: a 3.1.1 client may use any free packet id, so QoS 2 messages
        // awaiting PUBREL beyond max_inflight_messages are acknowledged, not a protocol violation.
        int inflightLimit = 5;
        try (TestBroker broker = TestBroker.start(config -> config.maxInflightMessages(inflightLimit));
             RawMqttConnection publisher = RawMqttConnection.open(broker)) {
            publisher.connectAccepted(TestNames.clientId("qos2-311"), true);
            for (int packetId = 1; packetId <= inflightLimit * 2; packetId++) {
                publisher.send(Packets.publish("flow/qos2").qos(2).packetId(packetId).payload("m" + packetId).build());
                publisher.expectAck(PacketType.PUBREC, packetId);
            }
            for (int packetId = 1; packetId <= inflightLimit * 2; packetId++) {
                publisher.send(Packets.pubrel(packetId));
                publisher.expectAck(PacketType.PUBCOMP, packetId);
            }
        }
    }
}
