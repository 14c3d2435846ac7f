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

/** The Will Message: when it is published and when it is not (MQTT 3.1.1 sections 3.1.2.5 to 3.1.2.7, 3.14). */
class WillConformanceTest {

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
    void willIsPublishedWhenTheSocketClosesWithoutDisconnect_MQTT_3_1_2_8() {
        String willTopic = TestNames.topic("willclose");
        try (RawMqttConnection watcher = watcher(willTopic, 0)) {
            RawMqttConnection client = RawMqttConnection.open(broker);
            client.connectAccepted(Packets.connect(TestNames.clientId("willclose"))
                    .will(willTopic, "lost", 0, false));

            client.close();

            MqttPacket will = watcher.receive(PacketType.PUBLISH);
            assertThat(will.topic()).isEqualTo(willTopic);
            assertThat(will.payloadAsString()).isEqualTo("lost");
        }
    }

    @Test
    void willIsPublishedWhenTheServerClosesTheConnectionForAProtocolViolation_MQTT_3_1_2_8() {
        String willTopic = TestNames.topic("willbad");
        try (RawMqttConnection watcher = watcher(willTopic, 0);
             RawMqttConnection client = RawMqttConnection.open(broker)) {
            client.connectAccepted(Packets.connect(TestNames.clientId("willbad"))
                    .will(willTopic, "broke the rules", 0, false));

            // QoS bits 11 in a PUBLISH [MQTT-3.3.1-4]
            client.send(Packets.publish(TestNames.topic("willbad")).qos(3).packetId(1).payload("x").build());
            client.awaitClosed();

            assertThat(watcher.receive(PacketType.PUBLISH).payloadAsString()).isEqualTo("broke the rules");
        }
    }

    @Test
    void disconnectDiscardsTheWill_MQTT_3_14_4_3() {
        String willTopic = TestNames.topic("willdisc");
        try (RawMqttConnection watcher = watcher(willTopic, 0);
             RawMqttConnection client = RawMqttConnection.open(broker)) {
            client.connectAccepted(Packets.connect(TestNames.clientId("willdisc"))
                    .will(willTopic, "must not be sent", 0, false));

            client.send(Packets.disconnect());
            client.shutdownOutput();
            client.awaitClosed();
            publish(willTopic, "marker", false);

            assertThat(watcher.receive(PacketType.PUBLISH).payloadAsString()).isEqualTo("marker");
        }
    }

    @Test
    void willIsPublishedWithItsQos_MQTT_3_1_2_16() {
        String willTopic = TestNames.topic("willqos");
        try (RawMqttConnection watcher = watcher(willTopic, 2)) {
            RawMqttConnection client = RawMqttConnection.open(broker);
            client.connectAccepted(Packets.connect(TestNames.clientId("willqos"))
                    .will(willTopic, "at least once", 1, false));

            client.close();

            MqttPacket will = watcher.receivePublishAndAcknowledge();
            assertThat(will.qos()).isEqualTo(1);
            assertThat(will.payloadAsString()).isEqualTo("at least once");
        }
    }

    @Test
    void willWithRetainFlagIsRetainedForLaterSubscribers_MQTT_3_1_2_17() {
        String willTopic = TestNames.topic("willret");
        try (RawMqttConnection watcher = watcher(willTopic, 0)) {
            RawMqttConnection client = RawMqttConnection.open(broker);
            client.connectAccepted(Packets.connect(TestNames.clientId("willret"))
                    .will(willTopic, "retained goodbye", 0, true));
            client.close();
            MqttPacket live = watcher.receive(PacketType.PUBLISH);
            assertThat(live.payloadAsString()).isEqualTo("retained goodbye");
            assertThat(live.retain()).as("RETAIN on a live delivery [MQTT-3.3.1-9]").isFalse();

            try (RawMqttConnection later = watcher(willTopic, 0)) {
                MqttPacket retained = later.receive(PacketType.PUBLISH);

                assertThat(retained.payloadAsString()).isEqualTo("retained goodbye");
                assertThat(retained.retain()).isTrue();
            }
        } finally {
            publish(willTopic, "", true);
        }
    }

    @Test
    void willWithoutRetainFlagIsNotRetained_MQTT_3_1_2_16() {
        String willTopic = TestNames.topic("willnoret");
        try (RawMqttConnection watcher = watcher(willTopic, 0)) {
            RawMqttConnection client = RawMqttConnection.open(broker);
            client.connectAccepted(Packets.connect(TestNames.clientId("willnoret"))
                    .will(willTopic, "not kept", 0, false));
            client.close();
            assertThat(watcher.receive(PacketType.PUBLISH).payloadAsString()).isEqualTo("not kept");

            try (RawMqttConnection later = watcher(willTopic, 0)) {
                publish(willTopic, "marker", false);

                assertThat(later.receive(PacketType.PUBLISH).payloadAsString()).isEqualTo("marker");
            }
        }
    }

    private static RawMqttConnection watcher(String topic, int qos) {
        RawMqttConnection watcher = RawMqttConnection.open(broker);
        watcher.connectAccepted(TestNames.clientId("watcher"), true);
        watcher.subscribe(1, topic, qos);
        return watcher;
    }

    private static void publish(String topic, String payload, boolean retain) {
        try (RawMqttConnection publisher = RawMqttConnection.open(broker)) {
            publisher.connectAccepted(TestNames.clientId("publisher"), true);
            publisher.send(Packets.publish(topic).qos(1).packetId(1).retain(retain).payload(payload).build());
            publisher.expectAck(PacketType.PUBACK, 1);
            publisher.disconnect();
        }
    }
}
