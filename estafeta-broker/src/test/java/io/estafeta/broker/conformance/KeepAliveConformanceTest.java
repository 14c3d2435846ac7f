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

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keep-alive (MQTT 3.1.1 section 3.1.2.10, 3.12, 3.13). These are the only tests that must let time pass:
 * keep-alive is one second, so the server gives up after one and a half.
 */
class KeepAliveConformanceTest {

    private static final int KEEP_ALIVE_SECONDS = 1;
    /** Generous bound for "the server closes after 1.5 x keep-alive": it must close, not be quick about it. */
    private static final Duration CLOSE_WITHIN = Duration.ofSeconds(6);
    private static final int PINGS = 6;
    private static final Duration BETWEEN_PINGS = Duration.ofMillis(500);

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
    void silentClientIsDisconnectedAfterOneAndAHalfKeepAlivesAndItsWillPublished_MQTT_3_1_2_24() {
        String willTopic = TestNames.topic("kawill");
        try (RawMqttConnection watcher = RawMqttConnection.open(broker);
             RawMqttConnection silent = RawMqttConnection.open(broker)) {
            watcher.connectAccepted(TestNames.clientId("kawatch"), true);
            watcher.subscribe(1, willTopic, 1);
            silent.connectAccepted(Packets.connect(TestNames.clientId("silent"))
                    .keepAlive(KEEP_ALIVE_SECONDS)
                    .will(willTopic, "timed out", 1, false));

            assertThat(silent.awaitClosed(CLOSE_WITHIN)).isEmpty();

            MqttPacket will = watcher.receivePublishAndAcknowledge();
            assertThat(will.topic()).isEqualTo(willTopic);
            assertThat(will.payloadAsString()).isEqualTo("timed out");
        }
    }

    @Test
    void pingreqIsAnsweredWithPingresp_MQTT_3_12_4_1() {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            client.connectAccepted(TestNames.clientId("ping"), true);

            client.send(Packets.pingreq());

            assertThat(client.receive().type()).isEqualTo(PacketType.PINGRESP);
        }
    }

    @Test
    void clientThatKeepsPingingStaysConnectedPastOneAndAHalfKeepAlives_MQTT_3_1_2_23() {
        String willTopic = TestNames.topic("pinger");
        try (RawMqttConnection watcher = RawMqttConnection.open(broker);
             RawMqttConnection client = RawMqttConnection.open(broker)) {
            watcher.connectAccepted(TestNames.clientId("pingwatch"), true);
            watcher.subscribe(1, willTopic, 0);
            client.connectAccepted(Packets.connect(TestNames.clientId("pinger"))
                    .keepAlive(KEEP_ALIVE_SECONDS)
                    .will(willTopic, "should not be sent", 0, false));

            // PINGS x BETWEEN_PINGS = 3 s: twice the 1.5 s after which a silent client is dropped.
            for (int i = 0; i < PINGS; i++) {
                client.send(Packets.pingreq());
                client.receive(PacketType.PINGRESP);
                client.expectNothingFor(BETWEEN_PINGS);
            }
            client.send(Packets.disconnect());
            client.shutdownOutput();
            client.awaitClosed();

            // The will was discarded by the DISCONNECT: the next thing on the topic is this marker.
            publishMarker(willTopic);
            assertThat(watcher.receive(PacketType.PUBLISH).payloadAsString()).isEqualTo("marker");
        }
    }

    @Test
    void publishingCountsAsActivityForKeepAlive_MQTT_3_1_2_23() {
        String topic = TestNames.topic("kapub");
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            client.connectAccepted(Packets.connect(TestNames.clientId("kapub")).keepAlive(KEEP_ALIVE_SECONDS));

            for (int i = 0; i < PINGS; i++) {
                client.publishQos0(topic, "still here " + i);
                client.expectNothingFor(BETWEEN_PINGS);
            }
            client.send(Packets.pingreq());
            client.receive(PacketType.PINGRESP);
        }
    }

    private static void publishMarker(String topic) {
        try (RawMqttConnection publisher = RawMqttConnection.open(broker)) {
            publisher.connectAccepted(TestNames.clientId("marker"), true);
            publisher.publishQos1(topic, "marker", 1);
            publisher.disconnect();
        }
    }
}
