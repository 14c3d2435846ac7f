package io.estafeta.broker.conformance5;

import io.estafeta.broker.testsupport.MqttPacket;
import io.estafeta.broker.testsupport.PacketType;
import io.estafeta.broker.testsupport.Packets;
import io.estafeta.broker.testsupport.PropertyId;
import io.estafeta.broker.testsupport.RawMqttConnection;
import io.estafeta.broker.testsupport.ReasonCodes;
import io.estafeta.broker.testsupport.TestBroker;
import io.estafeta.broker.testsupport.TestNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed and misplaced MQTT 5 properties, sent as raw bytes to the broker: the reason code the
 * client sees in the server's DISCONNECT (or CONNACK, before the connection is accepted) is the assertion.
 */
class MalformedPropertiesConformanceTest {

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
    void aPropertyGivenTwiceInPublishIsAProtocolError() {
        // 3.3.2.3.3: "It is a Protocol Error to include the Message Expiry Interval more than once."
        try (RawMqttConnection client = Mqtt5Clients.connected(broker, "dupprop")) {
            client.send(Packets.publish5(TestNames.topic("dupprop")).qos(1).packetId(1).payload("x")
                    .properties(Packets.properties()
                            .add(PropertyId.MESSAGE_EXPIRY_INTERVAL, 10)
                            .add(PropertyId.MESSAGE_EXPIRY_INTERVAL, 20))
                    .build());

            assertThat(client.awaitServerDisconnect().reasonCode()).isEqualTo(ReasonCodes.PROTOCOL_ERROR);
        }
    }

    @Test
    void aPropertyThatDoesNotBelongInPublishIsAMalformedPacket() {
        // 2.2.2.2: a property identifier not valid for the packet makes it a Malformed Packet.
        try (RawMqttConnection client = Mqtt5Clients.connected(broker, "wrongprop")) {
            client.send(Packets.publish5(TestNames.topic("wrongprop")).qos(1).packetId(1).payload("x")
                    .properties(Packets.properties().add(PropertyId.SESSION_EXPIRY_INTERVAL, 10))
                    .build());

            assertThat(client.awaitServerDisconnect().reasonCode()).isEqualTo(ReasonCodes.MALFORMED_PACKET);
        }
    }

    @Test
    void payloadFormatIndicatorAboveOneIsAProtocolError() {
        try (RawMqttConnection client = Mqtt5Clients.connected(broker, "pfi")) {
            client.send(Packets.publish5(TestNames.topic("pfi")).qos(1).packetId(1).payload("x")
                    .properties(Packets.properties().add(PropertyId.PAYLOAD_FORMAT_INDICATOR, 2))
                    .build());

            assertThat(client.awaitServerDisconnect().reasonCode()).isEqualTo(ReasonCodes.PROTOCOL_ERROR);
        }
    }

    @Test
    void aDuplicatePropertyInConnectIsAnsweredWithConnack0x82() {
        // Before CONNACK the server answers with a CONNACK carrying the reason code ([MQTT-4.13.1-1], 4.13.2).
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            MqttPacket connack = client.connect(Packets.connect5(TestNames.clientId("dupconnect"))
                    .properties(Packets.properties()
                            .add(PropertyId.SESSION_EXPIRY_INTERVAL, 10)
                            .add(PropertyId.SESSION_EXPIRY_INTERVAL, 20)));

            assertThat(connack.type()).isEqualTo(PacketType.CONNACK);
            assertThat(connack.reasonCode()).isEqualTo(ReasonCodes.PROTOCOL_ERROR);
            client.awaitClosed();
        }
    }
}
