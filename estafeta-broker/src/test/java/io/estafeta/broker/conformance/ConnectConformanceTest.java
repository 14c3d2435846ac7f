package io.estafeta.broker.conformance;

import io.estafeta.broker.testsupport.MqttPacket;
import io.estafeta.broker.testsupport.PacketType;
import io.estafeta.broker.testsupport.Packets;
import io.estafeta.broker.testsupport.Packets.ConnectFlags;
import io.estafeta.broker.testsupport.RawMqttConnection;
import io.estafeta.broker.testsupport.TestBroker;
import io.estafeta.broker.testsupport.TestNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The CONNECT packet and the server's answer to it (MQTT 3.1.1 section 3.1 and 3.2, MQTT 3.1 where it differs). */
class ConnectConformanceTest {

    private static final int ACCEPTED = 0x00;
    private static final int UNACCEPTABLE_PROTOCOL_VERSION = 0x01;
    private static final int IDENTIFIER_REJECTED = 0x02;
    private static final String MQTT_31_NAME = "MQIsdp";
    private static final int MQTT_31_LEVEL = 3;

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
    void firstPacketOtherThanConnectClosesTheConnection_MQTT_3_1_0_1() {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            client.send(Packets.subscribe(1, "a/b", 0));

            assertThat(client.awaitClosed()).isEmpty();
        }
    }

    @Test
    void pingBeforeConnectClosesTheConnection_MQTT_3_1_0_1() {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            client.send(Packets.pingreq());

            assertThat(client.awaitClosed()).isEmpty();
        }
    }

    @Test
    void secondConnectClosesTheConnection_MQTT_3_1_0_2() {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            client.connectAccepted(TestNames.clientId("twice"), true);

            client.send(Packets.connect(TestNames.clientId("twice")).build());

            assertThat(client.awaitClosed()).isEmpty();
        }
    }

    // Level 5 (MQTT 5) is left out: the core speaks 3.1 and 3.1.1, but level 5 is a real protocol.
    @ParameterizedTest(name = "protocol level {0}")
    @ValueSource(ints = {0, 2, 6, 255})
    void unsupportedProtocolLevelIsRefusedWithReturnCode1ThenClosed_MQTT_3_1_2_2(int level) {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            MqttPacket connack = client.connect(Packets.connect(TestNames.clientId("level")).protocol("MQTT", level));

            assertThat(connack.returnCode()).isEqualTo(UNACCEPTABLE_PROTOCOL_VERSION);
            assertThat(connack.sessionPresent()).isFalse();
            client.awaitClosed();
        }
    }

    @Test
    void protocolNameMqttWithLevel3IsRefusedWithReturnCode1_MQTT_3_1_2_2() {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            MqttPacket connack = client.connect(Packets.connect(TestNames.clientId("mqtt3")).protocol("MQTT", 3));

            assertThat(connack.returnCode()).isEqualTo(UNACCEPTABLE_PROTOCOL_VERSION);
            client.awaitClosed();
        }
    }

    @Test
    void reservedConnectFlagSetClosesWithoutConnack_MQTT_3_1_2_3() {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            client.send(Packets.connect(TestNames.clientId("reserved")).orFlags(ConnectFlags.RESERVED).build());

            assertThat(client.awaitClosed()).isEmpty();
        }
    }

    @Test
    void willQosWithoutWillFlagClosesTheConnection_MQTT_3_1_2_11_and_3_1_2_13() {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            client.send(Packets.connect(TestNames.clientId("willqos")).orFlags(ConnectFlags.WILL_QOS_1).build());

            assertThat(client.awaitClosed()).noneMatch(packet -> packet.type() == PacketType.CONNACK
                    && packet.returnCode() == ACCEPTED);
        }
    }

    @Test
    void willRetainWithoutWillFlagClosesTheConnection_MQTT_3_1_2_11_and_3_1_2_15() {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            client.send(Packets.connect(TestNames.clientId("willret")).orFlags(ConnectFlags.WILL_RETAIN).build());

            assertThat(client.awaitClosed()).noneMatch(packet -> packet.type() == PacketType.CONNACK
                    && packet.returnCode() == ACCEPTED);
        }
    }

    @Test
    void willQos3ClosesTheConnection_MQTT_3_1_2_14() {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            client.send(Packets.connect(TestNames.clientId("willqos3"))
                    .will("will/qos3", "bye", 3, false)
                    .build());

            assertThat(client.awaitClosed()).noneMatch(packet -> packet.type() == PacketType.CONNACK
                    && packet.returnCode() == ACCEPTED);
        }
    }

    @Test
    void passwordFlagWithoutUsernameFlagClosesTheConnection_MQTT_3_1_2_22() {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            client.send(Packets.connect(TestNames.clientId("pwonly")).password("secret").build());

            assertThat(client.awaitClosed()).noneMatch(packet -> packet.type() == PacketType.CONNACK
                    && packet.returnCode() == ACCEPTED);
        }
    }

    @Test
    void usernameAndPasswordAreAcceptedByAnAnonymousBroker() {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            MqttPacket connack = client.connect(Packets.connect(TestNames.clientId("userpw"))
                    .username("someone").password("secret"));

            assertThat(connack.returnCode()).isEqualTo(ACCEPTED);
        }
    }

    @Test
    void emptyClientIdWithCleanSessionIsAcceptedAndTheSessionWorks_MQTT_3_1_3_6() {
        String topic = TestNames.topic("emptyid");
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            MqttPacket connack = client.connect(Packets.connect("").cleanSession(true));
            assertThat(connack.returnCode()).isEqualTo(ACCEPTED);
            assertThat(connack.sessionPresent()).isFalse();

            assertThat(client.subscribe(1, topic, 1).returnCodes()).containsExactly(1);
            client.publishQos0(topic, "to myself");

            MqttPacket publish = client.receive(PacketType.PUBLISH);
            assertThat(publish.topic()).isEqualTo(topic);
            assertThat(publish.payloadAsString()).isEqualTo("to myself");
        }
    }

    @Test
    void twoClientsWithEmptyClientIdsDoNotTakeEachOtherOver_MQTT_3_1_3_6() {
        try (RawMqttConnection first = RawMqttConnection.open(broker);
             RawMqttConnection second = RawMqttConnection.open(broker)) {
            first.connectAccepted("", true);
            second.connectAccepted("", true);

            first.send(Packets.pingreq());
            first.receive(PacketType.PINGRESP);
            second.send(Packets.pingreq());
            second.receive(PacketType.PINGRESP);
        }
    }

    @Test
    void emptyClientIdWithoutCleanSessionIsRefusedWithReturnCode2ThenClosed_MQTT_3_1_3_8() {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            MqttPacket connack = client.connect(Packets.connect("").cleanSession(false));

            assertThat(connack.returnCode()).isEqualTo(IDENTIFIER_REJECTED);
            client.awaitClosed();
        }
    }

    @ParameterizedTest(name = "client id of {0} characters")
    @ValueSource(ints = {1, 12, 23})
    void mqtt31ClientIdsOfUpTo23CharactersAreAccepted(int length) {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            MqttPacket connack = client.connect(Packets.connect(clientIdOfLength(length))
                    .protocol(MQTT_31_NAME, MQTT_31_LEVEL));

            assertThat(connack.returnCode()).isEqualTo(ACCEPTED);
            client.send(Packets.pingreq());
            client.receive(PacketType.PINGRESP);
        }
    }

    @ParameterizedTest(name = "client id of {0} characters")
    @ValueSource(ints = {24, 40})
    void mqtt31ClientIdLongerThan23CharactersIsRefusedWithReturnCode2(int length) {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            MqttPacket connack = client.connect(Packets.connect(clientIdOfLength(length))
                    .protocol(MQTT_31_NAME, MQTT_31_LEVEL));

            assertThat(connack.returnCode()).isEqualTo(IDENTIFIER_REJECTED);
            client.awaitClosed();
        }
    }

    @Test
    void mqtt31EmptyClientIdIsRefusedWithReturnCode2() {
        // MQTT 3.1 requires a client id of 1 to 23 characters; the empty id is a 3.1.1 addition.
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            MqttPacket connack = client.connect(Packets.connect("").protocol(MQTT_31_NAME, MQTT_31_LEVEL));

            assertThat(connack.returnCode()).isEqualTo(IDENTIFIER_REJECTED);
            client.awaitClosed();
        }
    }

    @Test
    void mqtt31ConnackLeavesTheFirstByteZeroEvenWhenASessionIsResumed() {
        // MQTT 3.1 has no Session Present flag: the first byte of its CONNACK is reserved.
        String clientId = TestNames.clientId("v31sess");
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            client.connectAccepted(Packets.connect(clientId).protocol(MQTT_31_NAME, MQTT_31_LEVEL).cleanSession(false));
            client.subscribe(1, TestNames.topic("v31sess"), 1);
            client.disconnect();
        }
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            MqttPacket connack = client.connect(Packets.connect(clientId)
                    .protocol(MQTT_31_NAME, MQTT_31_LEVEL).cleanSession(false));

            assertThat(connack.returnCode()).isEqualTo(ACCEPTED);
            assertThat(connack.body()[0]).as("first CONNACK byte of %s", connack).isZero();
        }
    }

    @Test
    void mqtt311AcceptsClientIdsLongerThan23Characters_MQTT_3_1_3_5() {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            MqttPacket connack = client.connect(Packets.connect(clientIdOfLength(40)));

            assertThat(connack.returnCode()).isEqualTo(ACCEPTED);
        }
    }

    @Test
    void connackIsTheFirstPacketTheServerSends_MQTT_3_2_0_1() {
        String topic = TestNames.topic("first");
        // A retained message is waiting, and SUBSCRIBE follows CONNECT in the same write: still the CONNACK
        // must come before the SUBACK and the retained PUBLISH.
        try (RawMqttConnection publisher = RawMqttConnection.open(broker)) {
            publisher.connectAccepted(TestNames.clientId("firstpub"), true);
            publisher.send(Packets.publish(topic).qos(1).packetId(1).retain(true).payload("kept").build());
            publisher.expectAck(PacketType.PUBACK, 1);
        }
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            client.send(Packets.concat(
                    Packets.connect(TestNames.clientId("first")).build(),
                    Packets.subscribe(7, topic, 0)));

            MqttPacket first = client.receive();
            assertThat(first.type()).isEqualTo(PacketType.CONNACK);
            assertThat(first.returnCode()).isEqualTo(ACCEPTED);
            assertThat(client.receive(PacketType.SUBACK).packetId()).isEqualTo(7);
        } finally {
            clearRetained(topic);
        }
    }

    @Test
    void connackSessionPresentIsZeroWithCleanSession_MQTT_3_2_2_1() {
        String clientId = TestNames.clientId("present");
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            client.connectAccepted(clientId, false);
            client.subscribe(1, TestNames.topic("present"), 1);
            client.disconnect();
        }
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            MqttPacket connack = client.connectAccepted(clientId, true);

            assertThat(connack.sessionPresent()).isFalse();
        }
    }

    @Test
    void connackSessionPresentIsOneWhenAStoredSessionIsResumed_MQTT_3_2_2_2() {
        String clientId = TestNames.clientId("resume");
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            assertThat(client.connectAccepted(clientId, false).sessionPresent()).isFalse();
            client.subscribe(1, TestNames.topic("resume"), 1);
            client.disconnect();
        }
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            MqttPacket connack = client.connectAccepted(clientId, false);

            assertThat(connack.sessionPresent()).isTrue();
        }
    }

    @Test
    void connackSessionPresentIsZeroWhenNoSessionExisted_MQTT_3_2_2_3() {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            MqttPacket connack = client.connectAccepted(TestNames.clientId("fresh"), false);

            assertThat(connack.sessionPresent()).isFalse();
        }
    }

    @Test
    void keepAliveZeroMeansTheServerNeverTimesTheClientOut() {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            client.connectAccepted(Packets.connect(TestNames.clientId("ka0")).keepAlive(0));

            // Time has to pass for a rule about time: longer than any timeout a mistaken 0 could produce.
            client.expectNothingFor(Duration.ofSeconds(2));
            client.send(Packets.pingreq());
            client.receive(PacketType.PINGRESP);
        }
    }

    @Test
    void secondConnectionWithTheSameClientIdClosesTheFirstAndPublishesItsWill_MQTT_3_1_4_2() {
        String clientId = TestNames.clientId("takeover");
        String willTopic = TestNames.topic("takeover");
        try (RawMqttConnection watcher = RawMqttConnection.open(broker);
             RawMqttConnection first = RawMqttConnection.open(broker);
             RawMqttConnection second = RawMqttConnection.open(broker)) {
            watcher.connectAccepted(TestNames.clientId("watcher"), true);
            watcher.subscribe(1, willTopic, 0);
            first.connectAccepted(Packets.connect(clientId).will(willTopic, "first is gone", 0, false));

            assertThat(second.connectAccepted(clientId, true).returnCode()).isEqualTo(ACCEPTED);

            first.awaitClosed();
            MqttPacket will = watcher.receive(PacketType.PUBLISH);
            assertThat(will.topic()).isEqualTo(willTopic);
            assertThat(will.payloadAsString()).isEqualTo("first is gone");
            second.send(Packets.pingreq());
            second.receive(PacketType.PINGRESP);
        }
    }

    @Test
    void connectionThatSendsNoConnectWithinTheConnectTimeoutIsClosed() {
        try (TestBroker impatient = TestBroker.start(config -> config.connectTimeout(Duration.ofSeconds(1)));
             RawMqttConnection client = RawMqttConnection.open(impatient)) {

            assertThat(client.awaitClosed(Duration.ofSeconds(5))).isEmpty();
        }
    }

    @Test
    void halfSentConnectIsClosedAfterTheConnectTimeout() {
        try (TestBroker impatient = TestBroker.start(config -> config.connectTimeout(Duration.ofSeconds(1)));
             RawMqttConnection client = RawMqttConnection.open(impatient)) {
            byte[] connect = Packets.connect(TestNames.clientId("half")).build();
            client.send(java.util.Arrays.copyOf(connect, connect.length / 2));

            assertThat(client.awaitClosed(Duration.ofSeconds(5))).isEmpty();
        }
    }

    private static String clientIdOfLength(int length) {
        String unique = TestNames.clientId("x");
        StringBuilder id = new StringBuilder(unique.length() > length ? unique.substring(0, length) : unique);
        while (id.length() < length) {
            id.append('0');
        }
        return id.toString();
    }

    private static void clearRetained(String topic) {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            client.connectAccepted(TestNames.clientId("clear"), true);
            client.send(Packets.publish(topic).qos(1).packetId(1).retain(true).build());
            client.expectAck(PacketType.PUBACK, 1);
            client.disconnect();
        }
    }
}
