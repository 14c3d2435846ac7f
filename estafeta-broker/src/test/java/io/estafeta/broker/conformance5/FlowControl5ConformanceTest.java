package io.estafeta.broker.conformance5;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient.Mqtt5Publishes;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.estafeta.broker.testsupport.MqttPacket;
import io.estafeta.broker.testsupport.PacketType;
import io.estafeta.broker.testsupport.Packets;
import io.estafeta.broker.testsupport.PropertyId;
import io.estafeta.broker.testsupport.RawMqttConnection;
import io.estafeta.broker.testsupport.TestBroker;
import io.estafeta.broker.testsupport.TestNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the client tells the server it can take (3.1.2.11.3, 3.1.2.11.4, 4.9): the server keeps within
 * the client's Receive Maximum and Maximum Packet Size. The PINGREQ fence of
 * {@link RawMqttConnection#publishesUntilPingResponse()} shows what the server has sent so far.
 */
class FlowControl5ConformanceTest {

    private static final int MESSAGES = 10;
    private static final int RECEIVE_MAXIMUM = 2;
    private static final int MAXIMUM_PACKET_SIZE = 100;
    private static final int TOO_BIG_FOR_THE_CLIENT = 200;
    private static final long RECEIVE_TIMEOUT_SECONDS = 10;

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
    void serverSendsNoMoreUnacknowledgedQos1PublishesThanTheReceiveMaximum_MQTT_3_3_4_9() {
        String topic = TestNames.topic("recvmax");
        try (RawMqttConnection subscriber = Mqtt5Clients.connected(broker, withReceiveMaximum("recvmax", RECEIVE_MAXIMUM));
             RawMqttConnection publisher = Mqtt5Clients.connected(broker, "recvmaxpub")) {
            subscriber.subscribe(1, topic, 1);

            for (int i = 1; i <= MESSAGES; i++) {
                publisher.publishQos1(topic, "m" + i, i);
            }

            List<MqttPacket> first = subscriber.publishesUntilPingResponse();
            assertThat(first).extracting(MqttPacket::payloadAsString).containsExactly("m1", "m2");

            subscriber.send(Packets.puback(first.getFirst().packetId()));
            List<MqttPacket> next = subscriber.publishesUntilPingResponse();
            assertThat(next).as("one acknowledgement makes room for one more").extracting(MqttPacket::payloadAsString)
                    .containsExactly("m3");

            List<String> all = new ArrayList<>(List.of("m1", "m2", "m3"));
            subscriber.send(Packets.puback(first.get(1).packetId()));
            subscriber.send(Packets.puback(next.getFirst().packetId()));
            while (all.size() < MESSAGES) {
                all.add(subscriber.receivePublishAndAcknowledge().payloadAsString());
            }
            assertThat(all).containsExactlyElementsOf(IntStream.rangeClosed(1, MESSAGES).mapToObj(i -> "m" + i).toList());
        }
    }

    @Test
    void qos2PublishStaysOutstandingUntilPubcomp_MQTT_3_3_4_9() {
        String topic = TestNames.topic("recvmax2");
        try (RawMqttConnection subscriber = Mqtt5Clients.connected(broker, withReceiveMaximum("recvmax2", 1));
             RawMqttConnection publisher = Mqtt5Clients.connected(broker, "recvmax2pub")) {
            subscriber.subscribe(1, topic, 2);
            publisher.publishQos2(topic, "first", 1);
            publisher.publishQos2(topic, "second", 2);

            List<MqttPacket> outstanding = subscriber.publishesUntilPingResponse();
            assertThat(outstanding).extracting(MqttPacket::payloadAsString).containsExactly("first");
            int packetId = outstanding.getFirst().packetId();

            // 4.9: PUBREC below 0x80 does not give the quota back; PUBCOMP does.
            subscriber.send(Packets.pubrec(packetId));
            subscriber.expectAck(PacketType.PUBREL, packetId);
            subscriber.send(Packets.pingreq());
            subscriber.receive(PacketType.PINGRESP);

            subscriber.send(Packets.pubcomp(packetId));
            assertThat(subscriber.receive(PacketType.PUBLISH).payloadAsString()).isEqualTo("second");
        }
    }

    @Test
    void resumedSessionKeepsToTheNewConnectionsReceiveMaximum_MQTT_3_3_4_9() {
        String clientId = TestNames.clientId("resumerm");
        String topic = TestNames.topic("resumerm");
        RawMqttConnection first = Mqtt5Clients.connected(broker, Mqtt5Clients.persistentConnect(clientId, true));
        try (RawMqttConnection publisher = Mqtt5Clients.connected(broker, "resumermpub")) {
            first.subscribe(1, topic, 1);
            for (int i = 1; i <= MESSAGES; i++) {
                publisher.publishQos1(topic, "m" + i, i);
            }
            assertThat(first.publishesUntilPingResponse()).hasSize(MESSAGES);
        } finally {
            first.close(); // none acknowledged: all ten stay in flight in the session
        }

        // 4.9: the Receive Maximum is not part of the session; the new connection's applies to what is resent.
        try (RawMqttConnection again = RawMqttConnection.open(broker)) {
            again.connectAccepted(Mqtt5Clients.persistentConnect(clientId, false)
                    .properties(Packets.properties()
                            .add(PropertyId.SESSION_EXPIRY_INTERVAL, Mqtt5Clients.LONG_SESSION_EXPIRY_SECONDS)
                            .add(PropertyId.RECEIVE_MAXIMUM, RECEIVE_MAXIMUM)));

            assertThat(again.publishesUntilPingResponse()).extracting(MqttPacket::payloadAsString)
                    .containsExactly("m1", "m2");
            Mqtt5Clients.endSession(again);
        }
    }

    @Test
    void publishLargerThanTheClientsMaximumPacketSizeIsNotSent_MQTT_3_1_2_24() {
        String topic = TestNames.topic("mps");
        try (RawMqttConnection subscriber = Mqtt5Clients.connected(broker, Packets.connect5(TestNames.clientId("mps"))
                .properties(Packets.properties().add(PropertyId.MAXIMUM_PACKET_SIZE, MAXIMUM_PACKET_SIZE)));
             RawMqttConnection publisher = Mqtt5Clients.connected(broker, "mpspub")) {
            subscriber.subscribe(1, topic, 1);

            publisher.send(Packets.publish5(topic).qos(1).packetId(1).payload(new byte[TOO_BIG_FOR_THE_CLIENT]).build());
            publisher.expectAck(PacketType.PUBACK, 1);
            publisher.publishQos1(topic, "small", 2);

            List<MqttPacket> delivered = subscriber.publishesUntilPingResponse();
            assertThat(delivered).extracting(MqttPacket::payloadAsString).containsExactly("small");
        }
    }

    @Test
    void publishTooLargeForTheClientIsTreatedAsDeliveredAndNotResent_MQTT_3_1_2_25() {
        String clientId = TestNames.clientId("mpsdone");
        String topic = TestNames.topic("mpsdone");
        Packets.Connect connect = Mqtt5Clients.persistentConnect(clientId, true).properties(Packets.properties()
                .add(PropertyId.SESSION_EXPIRY_INTERVAL, Mqtt5Clients.LONG_SESSION_EXPIRY_SECONDS)
                .add(PropertyId.MAXIMUM_PACKET_SIZE, MAXIMUM_PACKET_SIZE));
        try (RawMqttConnection subscriber = Mqtt5Clients.connected(broker, connect);
             RawMqttConnection publisher = Mqtt5Clients.connected(broker, "mpsdonepub")) {
            subscriber.subscribe(1, topic, 1);
            publisher.send(Packets.publish5(topic).qos(1).packetId(1).payload(new byte[TOO_BIG_FOR_THE_CLIENT]).build());
            publisher.expectAck(PacketType.PUBACK, 1);
            assertThat(subscriber.publishesUntilPingResponse()).isEmpty();
        }

        try (RawMqttConnection again = RawMqttConnection.open(broker)) {
            again.connectAccepted(Mqtt5Clients.persistentConnect(clientId, false));

            assertThat(again.publishesUntilPingResponse()).as("nothing left in flight to resend").isEmpty();
            Mqtt5Clients.endSession(again);
        }
    }

    @Test
    void hiveMqClientWithReceiveMaximumOneGetsEveryMessageInOrder() throws InterruptedException {
        String topic = TestNames.topic("hiverm");
        Mqtt5BlockingClient subscriber = Mqtt5Clients.hiveMq(broker, TestNames.clientId("hiverm"));
        try (Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL);
             RawMqttConnection publisher = Mqtt5Clients.connected(broker, "hivermpub")) {
            subscriber.connectWith().restrictions().receiveMaximum(1).applyRestrictions().send();
            subscriber.subscribeWith().topicFilter(topic).qos(MqttQos.EXACTLY_ONCE).send();

            for (int i = 1; i <= MESSAGES; i++) {
                publisher.publishQos2(topic, "m" + i, i);
            }

            List<String> received = new ArrayList<>();
            for (int i = 1; i <= MESSAGES; i++) {
                Mqtt5Publish publish = publishes.receive(RECEIVE_TIMEOUT_SECONDS, TimeUnit.SECONDS).orElseThrow();
                received.add(Mqtt5Clients.utf8(publish.getPayloadAsBytes()));
            }
            assertThat(received).containsExactlyElementsOf(
                    IntStream.rangeClosed(1, MESSAGES).mapToObj(i -> "m" + i).toList());
        } finally {
            Mqtt5Clients.disconnectQuietly(subscriber);
        }
    }

    private static Packets.Connect withReceiveMaximum(String hint, int receiveMaximum) {
        return Packets.connect5(TestNames.clientId(hint))
                .properties(Packets.properties().add(PropertyId.RECEIVE_MAXIMUM, receiveMaximum));
    }
}
