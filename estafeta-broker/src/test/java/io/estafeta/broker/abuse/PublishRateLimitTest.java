package io.estafeta.broker.abuse;

import io.estafeta.broker.testsupport.MqttPacket;
import io.estafeta.broker.testsupport.Packets;
import io.estafeta.broker.testsupport.PacketType;
import io.estafeta.broker.testsupport.RawMqttConnection;
import io.estafeta.broker.testsupport.TestBroker;
import io.estafeta.broker.testsupport.TestNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * max_publish_rate with real sockets: a client that publishes faster is slowed by TCP backpressure (the
 * broker stops reading it), not disconnected, and loses nothing. How the bucket refills is checked with a
 * controlled clock in {@code PublishRateLimiterTest}.
 */
class PublishRateLimitTest {

    private static final int RATE_PER_SECOND = 20;
    private static final int BURST = 3 * RATE_PER_SECOND;

    private TestBroker broker;

    @BeforeEach
    void startBroker() {
        broker = TestBroker.start(config -> config.maxInflightMessages(BURST)
                .trafficLimits(limits -> limits.withMaxPublishRate(RATE_PER_SECOND)));
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @Test
    void aPublisherOverMaxPublishRateIsSlowedButStaysConnectedAndLosesNothing() {
        String topic = TestNames.topic("rate");
        try (RawMqttConnection subscriber = RawMqttConnection.open(broker);
             RawMqttConnection publisher = RawMqttConnection.open(broker)) {
            subscriber.connectAccepted(TestNames.clientId("rate-sub"), true);
            subscriber.subscribe(1, topic, 1);
            publisher.connectAccepted(TestNames.clientId("rate-pub"), true);

            // Three seconds' worth at once, in one write.
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            for (int i = 1; i <= BURST; i++) {
                burst.writeBytes(Packets.publish(topic).qos(1).packetId(i).payload("m" + i).build());
            }
            publisher.send(burst.toByteArray());

            for (int i = 1; i <= BURST; i++) {
                publisher.expectAck(PacketType.PUBACK, i);
                MqttPacket delivered = subscriber.receivePublishAndAcknowledge();
                assertThat(delivered.payloadAsString()).isEqualTo("m" + i);
            }
        }
        assertThat(broker.estafeta().orElseThrow().metrics().publishRateThrottles()).isPositive();
    }
}
