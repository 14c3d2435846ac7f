package io.estafeta.broker.conformance5;

import io.estafeta.broker.testsupport.MqttPacket;
import io.estafeta.broker.testsupport.PacketType;
import io.estafeta.broker.testsupport.Packets;
import io.estafeta.broker.testsupport.Paho5TestClient;
import io.estafeta.broker.testsupport.PropertyId;
import io.estafeta.broker.testsupport.RawMqttConnection;
import io.estafeta.broker.testsupport.ReasonCodes;
import io.estafeta.broker.testsupport.TestBroker;
import io.estafeta.broker.testsupport.TestNames;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.estafeta.broker.testsupport.Waiting.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's DISCONNECT (3.14, 4.13): when an MQTT 5.0 server closes a connection after CONNACK it
 * first says why, with a reason code, and never with a Session Expiry Interval [MQTT-3.14.2-2].
 */
class ServerDisconnectConformanceTest {

    private static final int KEEP_ALIVE_SECONDS = 1;
    /** Generous bound for "the server closes after 1.5 x keep-alive": it must close, not be quick about it. */
    private static final Duration CLOSE_WITHIN = Duration.ofSeconds(6);
    private static final int RECEIVE_MAXIMUM = 2;
    private static final int MAXIMUM_PACKET_SIZE = 128;
    private static final int BIG_PAYLOAD = 256;
    private static final int SUBSCRIPTION_OPTIONS_RESERVED_BIT = 0x40;

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
    void sessionTakeoverClosesTheOldConnectionWith0x8E_MQTT_3_1_4_3() {
        String clientId = TestNames.clientId("taken");
        try (RawMqttConnection first = Mqtt5Clients.connected(broker, Packets.connect5(clientId));
             RawMqttConnection second = Mqtt5Clients.connected(broker, Packets.connect5(clientId))) {

            MqttPacket disconnect = first.awaitServerDisconnect();

            assertThat(disconnect.reasonCode()).isEqualTo(ReasonCodes.SESSION_TAKEN_OVER);
            assertThat(disconnect.properties().has(PropertyId.SESSION_EXPIRY_INTERVAL)).as("[MQTT-3.14.2-2]")
                    .isFalse();
            second.send(Packets.pingreq());
            second.receive(PacketType.PINGRESP);
        }
    }

    @Test
    void pahoClientLearnsItsSessionWasTakenOver_MQTT_3_1_4_3() {
        String clientId = TestNames.clientId("pahotaken");
        try (Paho5TestClient first = Paho5TestClient.connect(broker, clientId);
             Paho5TestClient second = Paho5TestClient.connect(broker, clientId)) {

            await().until(() -> first.serverDisconnect().isPresent());

            MqttDisconnectResponse disconnect = first.serverDisconnect().orElseThrow();
            assertThat(disconnect.getReturnCode()).isEqualTo(ReasonCodes.SESSION_TAKEN_OVER);
            assertThat(second.isConnected()).isTrue();
        }
    }

    @Test
    void silentClientIsDisconnectedWith0x8DKeepAliveTimeout_MQTT_3_1_2_22() {
        try (RawMqttConnection silent = Mqtt5Clients.connected(broker,
                Packets.connect5(TestNames.clientId("silent")).keepAlive(KEEP_ALIVE_SECONDS))) {

            assertThat(silent.awaitServerDisconnect(CLOSE_WITHIN).reasonCode()).isEqualTo(ReasonCodes.KEEP_ALIVE_TIMEOUT);
        }
    }

    @Test
    void serverKeepAliveIsWhatTheServerEnforces_MQTT_3_2_2_21() {
        try (TestBroker strict = TestBroker.start(config -> config.maxKeepalive(KEEP_ALIVE_SECONDS));
             RawMqttConnection client = RawMqttConnection.open(strict)) {
            MqttPacket connack = client.connectAccepted(Packets.connect5(TestNames.clientId("srvka")).keepAlive(60));
            assertThat(connack.properties().number(PropertyId.SERVER_KEEP_ALIVE)).hasValue(KEEP_ALIVE_SECONDS);

            // Silent for far less than the client's 60 s, but longer than 1.5 x the server's one second.
            assertThat(client.awaitServerDisconnect(CLOSE_WITHIN).reasonCode())
                    .isEqualTo(ReasonCodes.KEEP_ALIVE_TIMEOUT);
        }
    }

    @Test
    void brokerShutdownDisconnectsClientsWith0x8B() {
        TestBroker closing = TestBroker.start();
        try (RawMqttConnection client = Mqtt5Clients.connected(closing, "shutdown")) {
            closing.close();

            assertThat(client.awaitServerDisconnect().reasonCode()).isEqualTo(ReasonCodes.SERVER_SHUTTING_DOWN);
        } finally {
            closing.close();
        }
    }

    @Test
    void secondConnectIsAProtocolError_MQTT_3_1_0_2() {
        try (RawMqttConnection client = Mqtt5Clients.connected(broker, "twice")) {
            client.send(Packets.connect5(TestNames.clientId("twice")).build());

            assertThat(client.awaitServerDisconnect().reasonCode()).isEqualTo(ReasonCodes.PROTOCOL_ERROR);
        }
    }

    @Test
    void publishWithBothQosBitsSetIsAMalformedPacket_MQTT_3_3_1_4() {
        try (RawMqttConnection client = Mqtt5Clients.connected(broker, "qos3")) {
            client.send(Packets.publish5(TestNames.topic("qos3")).qos(3).packetId(1).payload("x").build());

            assertThat(client.awaitServerDisconnect().reasonCode()).isEqualTo(ReasonCodes.MALFORMED_PACKET);
        }
    }

    @Test
    void subscribeWithReservedOptionBitsIsAMalformedPacket_MQTT_3_8_3_5() {
        try (RawMqttConnection client = Mqtt5Clients.connected(broker, "optbits")) {
            client.send(Packets.subscribe5(1).filter(TestNames.topic("optbits"), SUBSCRIPTION_OPTIONS_RESERVED_BIT | 1)
                    .build());

            // Malformed, so the server must close [MQTT-4.13.1-1], with 0x81 or 0x82 (4.13.1), not answer SUBACK.
            MqttPacket answer = client.receive();
            assertThat(answer.type()).as("the server answered %s", answer).isEqualTo(PacketType.DISCONNECT);
            assertThat(answer.reasonCode()).isIn(ReasonCodes.MALFORMED_PACKET, ReasonCodes.PROTOCOL_ERROR);
            client.awaitClosed();
        }
    }

    @Test
    void subscribeWithRetainHandling3IsAProtocolError_MQTT_4_13_1_1() {
        try (RawMqttConnection client = Mqtt5Clients.connected(broker, "rh3")) {
            client.send(Packets.subscribe5(1)
                    .filter(TestNames.topic("rh3"), Packets.subscriptionOptions(1, false, false, 3)).build());

            // 3.8.3.1: "It is a Protocol Error to send a Retain Handling value of 3."
            assertThat(client.awaitServerDisconnect().reasonCode())
                    .isIn(ReasonCodes.MALFORMED_PACKET, ReasonCodes.PROTOCOL_ERROR);
        }
    }

    @Test
    void subscribeWithMaximumQos3IsAProtocolError_MQTT_4_13_1_1() {
        try (RawMqttConnection client = Mqtt5Clients.connected(broker, "subqos3")) {
            client.send(Packets.subscribe5(1).filter(TestNames.topic("subqos3"), 3).build());

            // 3.8.3.1: "It is a Protocol Error if the Maximum QoS field has the value 3."
            assertThat(client.awaitServerDisconnect().reasonCode())
                    .isIn(ReasonCodes.MALFORMED_PACKET, ReasonCodes.PROTOCOL_ERROR);
        }
    }

    @Test
    void subscribeWithSubscriptionIdentifierZeroIsAProtocolError() {
        try (RawMqttConnection client = Mqtt5Clients.connected(broker, "subid0")) {
            client.send(Packets.subscribe5(1).properties(Packets.properties().add(PropertyId.SUBSCRIPTION_IDENTIFIER, 0))
                    .filter(TestNames.topic("subid0"), 1).build());

            // 3.8.2.1.2: "It is a Protocol Error if the Subscription Identifier has a value of 0."
            assertThat(client.awaitServerDisconnect().reasonCode())
                    .isIn(ReasonCodes.MALFORMED_PACKET, ReasonCodes.PROTOCOL_ERROR);
        }
    }

    @Test
    void moreUnreleasedQos2PublishesThanTheReceiveMaximumGet0x93() {
        try (TestBroker limited = TestBroker.start(config -> config.maxInflightMessages(RECEIVE_MAXIMUM));
             RawMqttConnection client = RawMqttConnection.open(limited)) {
            MqttPacket connack = client.connectAccepted(Packets.connect5(TestNames.clientId("recvmax")));
            assertThat(connack.properties().number(PropertyId.RECEIVE_MAXIMUM)).hasValue(RECEIVE_MAXIMUM);
            String topic = TestNames.topic("recvmax");

            for (int packetId = 1; packetId <= RECEIVE_MAXIMUM; packetId++) {
                client.send(Packets.publish5(topic).qos(2).packetId(packetId).payload("held").build());
                client.expectAck(PacketType.PUBREC, packetId);
            }
            client.send(Packets.publish5(topic).qos(2).packetId(RECEIVE_MAXIMUM + 1).payload("one too many").build());

            // 3.3.4: the client broke [MQTT-3.3.4-7]; the server "uses a DISCONNECT packet with Reason Code 0x93".
            assertThat(client.awaitServerDisconnect().reasonCode()).isEqualTo(ReasonCodes.RECEIVE_MAXIMUM_EXCEEDED);
        }
    }

    @Test
    void releasedQos2PublishesDoNotCountAgainstTheReceiveMaximum() {
        try (TestBroker limited = TestBroker.start(config -> config.maxInflightMessages(RECEIVE_MAXIMUM));
             RawMqttConnection client = RawMqttConnection.open(limited)) {
            client.connectAccepted(Packets.connect5(TestNames.clientId("released")));
            String topic = TestNames.topic("released");

            for (int i = 1; i <= 3 * RECEIVE_MAXIMUM; i++) {
                client.publishQos2(topic, "one at a time", i);
            }

            client.send(Packets.pingreq());
            client.receive(PacketType.PINGRESP);
        }
    }

    @Test
    void retainedPublishWhenRetainIsNotAvailableGets0x9A_MQTT_3_2_2_14() {
        try (TestBroker noRetain = TestBroker.start(config -> config.retainAvailable(false));
             RawMqttConnection client = RawMqttConnection.open(noRetain)) {
            client.connectAccepted(Packets.connect5(TestNames.clientId("noretain")));

            client.send(Packets.publish5(TestNames.topic("noretain")).qos(1).packetId(1).retain(true).payload("keep")
                    .build());

            // 3.3.1.3: the server "uses the DISCONNECT Reason Code of 0x9A (Retain not supported)".
            assertThat(client.awaitServerDisconnect().reasonCode()).isEqualTo(ReasonCodes.RETAIN_NOT_SUPPORTED);
        }
    }

    @Test
    void packetLargerThanTheServersMaximumPacketSizeGets0x95_MQTT_3_2_2_15() {
        try (TestBroker small = TestBroker.start(config -> config.maxPacketSize(MAXIMUM_PACKET_SIZE));
             RawMqttConnection client = RawMqttConnection.open(small)) {
            MqttPacket connack = client.connectAccepted(Packets.connect5(TestNames.clientId("toolarge")));
            assertThat(connack.properties().number(PropertyId.MAXIMUM_PACKET_SIZE)).hasValue(MAXIMUM_PACKET_SIZE);

            client.send(Packets.publish5(TestNames.topic("toolarge")).qos(1).packetId(1)
                    .payload(new byte[BIG_PAYLOAD]).build());

            // 3.2.2.3.6: the server "uses DISCONNECT with Reason Code 0x95 (Packet too large)".
            assertThat(client.awaitServerDisconnect().reasonCode()).isEqualTo(ReasonCodes.PACKET_TOO_LARGE);
        }
    }

    @Test
    void disconnectFromTheServerIsFollowedByTheCloseOfTheConnection_MQTT_3_14_4_1_and_3_14_4_2() {
        try (RawMqttConnection client = Mqtt5Clients.connected(broker, "afterdisc")) {
            client.send(Packets.publish5(TestNames.topic("afterdisc")).qos(3).packetId(1).build());

            // awaitClosed fails if the connection stays open; nothing may follow the DISCONNECT.
            assertThat(client.awaitClosed()).extracting(MqttPacket::type).containsExactly(PacketType.DISCONNECT);
        }
    }
}
