package io.estafeta.broker.conformance5;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.testsupport.MqttPacket;
import io.estafeta.broker.testsupport.PacketProperties;
import io.estafeta.broker.testsupport.PacketType;
import io.estafeta.broker.testsupport.Packets;
import io.estafeta.broker.testsupport.Packets.ConnectFlags;
import io.estafeta.broker.testsupport.PropertyId;
import io.estafeta.broker.testsupport.RawMqttConnection;
import io.estafeta.broker.testsupport.ReasonCodes;
import io.estafeta.broker.testsupport.TestBroker;
import io.estafeta.broker.testsupport.TestNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The MQTT 5.0 CONNECT and the CONNACK that answers it: what the server announces and what it refuses (3.1, 3.2). */
class Connect5ConformanceTest {

    private static final int RECEIVE_MAXIMUM = 7;
    private static final int MAXIMUM_PACKET_SIZE = 4096;
    private static final int TOPIC_ALIAS_MAXIMUM = 5;
    private static final int UNACCEPTABLE_PROTOCOL_VERSION_3 = 0x01;

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
    void mqtt5ConnectIsAcceptedWithReasonCodeSuccess_MQTT_3_1_4_5() {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            MqttPacket connack = client.connect(Packets.connect5(TestNames.clientId("v5")));

            assertThat(connack.reasonCode()).isEqualTo(ReasonCodes.SUCCESS);
            assertThat(connack.sessionPresent()).as("Clean Start 1 [MQTT-3.2.2-2]").isFalse();
        }
    }

    @Test
    void connackAnnouncesTheServersLimits() {
        try (TestBroker limited = TestBroker.start(config -> config
                .maxInflightMessages(RECEIVE_MAXIMUM)
                .maxPacketSize(MAXIMUM_PACKET_SIZE)
                .maxTopicAlias(TOPIC_ALIAS_MAXIMUM));
             RawMqttConnection client = RawMqttConnection.open(limited)) {
            PacketProperties properties = client.connectAccepted(Packets.connect5(TestNames.clientId("limits")))
                    .properties();

            // 3.2.2.3.3, 3.2.2.3.6, 3.2.2.3.8: the client must keep within these, so the server must say them.
            assertThat(properties.number(PropertyId.RECEIVE_MAXIMUM)).hasValue(RECEIVE_MAXIMUM);
            assertThat(properties.number(PropertyId.MAXIMUM_PACKET_SIZE)).hasValue(MAXIMUM_PACKET_SIZE);
            assertThat(properties.number(PropertyId.TOPIC_ALIAS_MAXIMUM)).hasValue(TOPIC_ALIAS_MAXIMUM);
            // Absent means "available" (3.2.2.3.5): retained messages are supported by default.
            assertThat(properties.has(PropertyId.RETAIN_AVAILABLE)).isFalse();
            assertThat(properties.has(PropertyId.ASSIGNED_CLIENT_IDENTIFIER)).isFalse();
            assertThat(properties.has(PropertyId.SERVER_KEEP_ALIVE)).isFalse();
        }
    }

    @Test
    void topicAliasMaximumIsTenByDefault() {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            PacketProperties properties = client.connectAccepted(Packets.connect5(TestNames.clientId("alias10")))
                    .properties();

            assertThat(properties.number(PropertyId.TOPIC_ALIAS_MAXIMUM)).hasValue(BrokerConfig.DEFAULT_MAX_TOPIC_ALIAS);
        }
    }

    @Test
    void connackSaysRetainIsNotAvailableWhenItIsNot() {
        try (TestBroker noRetain = TestBroker.start(config -> config.retainAvailable(false));
             RawMqttConnection client = RawMqttConnection.open(noRetain)) {
            PacketProperties properties = client.connectAccepted(Packets.connect5(TestNames.clientId("noretain")))
                    .properties();

            assertThat(properties.number(PropertyId.RETAIN_AVAILABLE)).hasValue(0);
        }
    }

    @Test
    void willRetainIsRefusedWith0x9AWhenRetainIsNotAvailable_MQTT_3_2_2_13() {
        try (TestBroker noRetain = TestBroker.start(config -> config.retainAvailable(false));
             RawMqttConnection client = RawMqttConnection.open(noRetain)) {
            MqttPacket connack = client.connect(Packets.connect5(TestNames.clientId("willret"))
                    .will(TestNames.topic("willret"), "retained will", 0, true));

            assertThat(connack.reasonCode()).isEqualTo(ReasonCodes.RETAIN_NOT_SUPPORTED);
            assertThat(connack.sessionPresent()).as("[MQTT-3.2.2-6]").isFalse();
            assertThat(client.awaitClosed()).as("[MQTT-3.2.2-7] closed after a refusal").isEmpty();
        }
    }

    @Test
    void emptyClientIdentifierGetsAnAssignedClientIdentifier_MQTT_3_1_3_7_and_3_2_2_16() {
        try (RawMqttConnection first = RawMqttConnection.open(broker);
             RawMqttConnection second = RawMqttConnection.open(broker)) {
            MqttPacket firstAck = first.connectAccepted(Packets.connect5(""));
            MqttPacket secondAck = second.connectAccepted(Packets.connect5(""));

            String firstId = firstAck.properties().string(PropertyId.ASSIGNED_CLIENT_IDENTIFIER).orElseThrow();
            String secondId = secondAck.properties().string(PropertyId.ASSIGNED_CLIENT_IDENTIFIER).orElseThrow();
            assertThat(firstId).isNotEmpty();
            assertThat(secondId).as("not used by any other session").isNotEqualTo(firstId);
        }
    }

    @Test
    void assignedClientIdentifierNamesTheSessionTheServerKeeps_MQTT_3_1_3_7() {
        String assigned;
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            MqttPacket connack = client.connectAccepted(Mqtt5Clients.persistentConnect("", true));
            assigned = connack.properties().string(PropertyId.ASSIGNED_CLIENT_IDENTIFIER).orElseThrow();
            client.disconnect();
        }
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            MqttPacket connack = client.connectAccepted(Mqtt5Clients.persistentConnect(assigned, false));

            assertThat(connack.sessionPresent()).isTrue();
            Mqtt5Clients.endSession(client);
        }
    }

    @Test
    void keepAliveAboveTheMaximumIsAnsweredWithServerKeepAlive_MQTT_3_2_2_21() {
        try (TestBroker strict = TestBroker.start(config -> config.maxKeepalive(30));
             RawMqttConnection client = RawMqttConnection.open(strict)) {
            MqttPacket connack = client.connect(Packets.connect5(TestNames.clientId("ka")).keepAlive(120));

            assertThat(connack.reasonCode()).as("5.0 can say a shorter keep-alive instead of refusing")
                    .isEqualTo(ReasonCodes.SUCCESS);
            assertThat(connack.properties().number(PropertyId.SERVER_KEEP_ALIVE)).hasValue(30);
        }
    }

    @Test
    void keepAliveZeroIsAnsweredWithServerKeepAliveWhenTheServerHasAMaximum_MQTT_3_2_2_21() {
        try (TestBroker strict = TestBroker.start(config -> config.maxKeepalive(30));
             RawMqttConnection client = RawMqttConnection.open(strict)) {
            MqttPacket connack = client.connect(Packets.connect5(TestNames.clientId("ka0")).keepAlive(0));

            assertThat(connack.reasonCode()).isEqualTo(ReasonCodes.SUCCESS);
            assertThat(connack.properties().number(PropertyId.SERVER_KEEP_ALIVE)).hasValue(30);
        }
    }

    @Test
    void keepAliveWithinTheMaximumGetsNoServerKeepAlive_MQTT_3_2_2_22() {
        try (TestBroker strict = TestBroker.start(config -> config.maxKeepalive(30));
             RawMqttConnection client = RawMqttConnection.open(strict)) {
            MqttPacket connack = client.connectAccepted(Packets.connect5(TestNames.clientId("kaok")).keepAlive(20));

            assertThat(connack.properties().has(PropertyId.SERVER_KEEP_ALIVE)).isFalse();
        }
    }

    @Test
    void responseInformationIsSentWhenRequested() {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            MqttPacket connack = client.connectAccepted(Packets.connect5(TestNames.clientId("respinfo"))
                    .properties(Packets.properties().add(PropertyId.REQUEST_RESPONSE_INFORMATION, 1)));

            // 3.2.2.3.15: optional for the server; Estafeta offers a topic prefix for the client's responses.
            assertThat(connack.properties().string(PropertyId.RESPONSE_INFORMATION)).hasValueSatisfying(
                    information -> assertThat(information).isNotEmpty());
        }
    }

    @Test
    void responseInformationIsNotSentWithoutRequest_MQTT_3_1_2_28() {
        try (RawMqttConnection plain = RawMqttConnection.open(broker);
             RawMqttConnection declined = RawMqttConnection.open(broker)) {
            MqttPacket plainAck = plain.connectAccepted(Packets.connect5(TestNames.clientId("noinfo")));
            MqttPacket declinedAck = declined.connectAccepted(Packets.connect5(TestNames.clientId("noinfo0"))
                    .properties(Packets.properties().add(PropertyId.REQUEST_RESPONSE_INFORMATION, 0)));

            assertThat(plainAck.properties().has(PropertyId.RESPONSE_INFORMATION)).isFalse();
            assertThat(declinedAck.properties().has(PropertyId.RESPONSE_INFORMATION)).isFalse();
        }
    }

    @Test
    void receiveMaximumZeroIsRefusedAsAProtocolError() {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            MqttPacket connack = client.connect(Packets.connect5(TestNames.clientId("recv0"))
                    .properties(Packets.properties().add(PropertyId.RECEIVE_MAXIMUM, 0)));

            // 3.1.2.11.3: "It is a Protocol Error to include the Receive Maximum value ... 0". The server may
            // close without a CONNACK (4.13.1); Estafeta says why first.
            assertThat(connack.reasonCode()).isEqualTo(ReasonCodes.PROTOCOL_ERROR);
            assertThat(connack.sessionPresent()).as("[MQTT-3.2.2-6]").isFalse();
            assertThat(client.awaitClosed()).as("[MQTT-3.2.2-7]").isEmpty();
        }
    }

    @Test
    void maximumPacketSizeZeroIsRefusedAsAProtocolError() {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            MqttPacket connack = client.connect(Packets.connect5(TestNames.clientId("mps0"))
                    .properties(Packets.properties().add(PropertyId.MAXIMUM_PACKET_SIZE, 0)));

            // 3.1.2.11.4: "It is a Protocol Error to include the Maximum Packet Size ... set to zero".
            assertThat(connack.reasonCode()).isEqualTo(ReasonCodes.PROTOCOL_ERROR);
            assertThat(client.awaitClosed()).isEmpty();
        }
    }

    @Test
    void authenticationMethodIsRefusedWithBadAuthenticationMethod_MQTT_4_12_0_1() {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            MqttPacket connack = client.connect(Packets.connect5(TestNames.clientId("auth"))
                    .properties(Packets.properties().add(PropertyId.AUTHENTICATION_METHOD, "SCRAM-SHA-1")));

            // Enhanced authentication is not offered: 0x8C (or 0x87), then close.
            assertThat(connack.reasonCode()).isEqualTo(ReasonCodes.BAD_AUTHENTICATION_METHOD);
            assertThat(client.awaitClosed()).isEmpty();
        }
    }

    @ParameterizedTest(name = "protocol level {0}")
    @ValueSource(ints = {0, 6, 255})
    void unsupportedProtocolLevelIsRefusedThenClosed_MQTT_3_1_2_2(int level) {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            client.send(Packets.connect5(TestNames.clientId("level")).protocol("MQTT", level).build());

            // The server cannot know which CONNACK format a client of an unknown level reads: 3.1.1's 0x01 and
            // 5.0's 0x84 (Unsupported Protocol Version) are both a refusal. Either way it must close.
            assertThat(client.awaitClosed()).allSatisfy(packet -> {
                assertThat(packet.type()).isEqualTo(PacketType.CONNACK);
                assertThat(packet.returnCode()).isIn(UNACCEPTABLE_PROTOCOL_VERSION_3,
                        ReasonCodes.UNSUPPORTED_PROTOCOL_VERSION);
            });
        }
    }

    @Test
    void reservedConnectFlagIsAMalformedPacket_MQTT_3_1_2_3() {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            client.send(Packets.connect5(TestNames.clientId("reserved")).orFlags(ConnectFlags.RESERVED).build());

            // Malformed: the server may answer CONNACK 0x81 (4.13) and must close [MQTT-3.1.4-1].
            assertThat(client.awaitClosed()).allSatisfy(packet -> {
                assertThat(packet.type()).isEqualTo(PacketType.CONNACK);
                assertThat(packet.returnCode()).isEqualTo(ReasonCodes.MALFORMED_PACKET);
            });
        }
    }

    @Test
    void willQosWithoutWillFlagIsRefused_MQTT_3_1_2_11() {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            client.send(Packets.connect5(TestNames.clientId("willqos")).orFlags(ConnectFlags.WILL_QOS_1).build());

            assertThat(client.awaitClosed()).allSatisfy(packet -> {
                assertThat(packet.type()).isEqualTo(PacketType.CONNACK);
                assertThat(packet.returnCode()).isGreaterThanOrEqualTo(ReasonCodes.UNSPECIFIED_ERROR);
            });
        }
    }

    @Test
    void willQos3IsAMalformedPacket_MQTT_3_1_2_12() {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            MqttPacket connack = client.connect(Packets.connect5(TestNames.clientId("willqos3"))
                    .will(TestNames.topic("willqos3"), "x", 0, false)
                    .orFlags(ConnectFlags.WILL_QOS_1 | ConnectFlags.WILL_QOS_2));

            // 3.1.2.6: "A value of 3 (0x03) is a Malformed Packet"; 4.13.1 lets the server say 0x81 or 0x82.
            assertThat(connack.reasonCode()).isIn(ReasonCodes.MALFORMED_PACKET, ReasonCodes.PROTOCOL_ERROR);
            assertThat(client.awaitClosed()).isEmpty();
        }
    }

    @Test
    void hiveMqClientReadsTheServersRestrictionsFromConnack() {
        try (TestBroker limited = TestBroker.start(config -> config
                .maxInflightMessages(RECEIVE_MAXIMUM)
                .maxPacketSize(MAXIMUM_PACKET_SIZE)
                .maxTopicAlias(TOPIC_ALIAS_MAXIMUM))) {
            Mqtt5BlockingClient client = Mqtt5Clients.hiveMq(limited, TestNames.clientId("hiveack"));
            try {
                Mqtt5ConnAck connack = client.connectWith().cleanStart(true).send();

                assertThat(connack.getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
                assertThat(connack.isSessionPresent()).isFalse();
                assertThat(connack.getRestrictions().getReceiveMaximum()).isEqualTo(RECEIVE_MAXIMUM);
                assertThat(connack.getRestrictions().getMaximumPacketSize()).isEqualTo(MAXIMUM_PACKET_SIZE);
                assertThat(connack.getRestrictions().getTopicAliasMaximum()).isEqualTo(TOPIC_ALIAS_MAXIMUM);
                assertThat(connack.getRestrictions().isRetainAvailable()).isTrue();
            } finally {
                Mqtt5Clients.disconnectQuietly(client);
            }
        }
    }

    @Test
    void hiveMqClientConnectingWithoutIdentifierLearnsTheAssignedOne_MQTT_3_1_3_7() {
        Mqtt5BlockingClient client = com.hivemq.client.mqtt.MqttClient.builder().useMqttVersion5()
                .serverHost(broker.host()).serverPort(broker.port()).buildBlocking();
        try {
            Mqtt5ConnAck connack = client.connect();

            assertThat(connack.getAssignedClientIdentifier()).isPresent();
            assertThat(client.getConfig().getClientIdentifier()).isPresent();
        } finally {
            Mqtt5Clients.disconnectQuietly(client);
        }
    }
}
