package io.estafeta.broker.conformance5;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import io.estafeta.broker.testsupport.MosquittoClientProcess;
import io.estafeta.broker.testsupport.MqttPacket;
import io.estafeta.broker.testsupport.PacketProperties;
import io.estafeta.broker.testsupport.PacketType;
import io.estafeta.broker.testsupport.Packets;
import io.estafeta.broker.testsupport.Paho5TestClient;
import io.estafeta.broker.testsupport.PropertyId;
import io.estafeta.broker.testsupport.RawMqttConnection;
import io.estafeta.broker.testsupport.ReasonCodes;
import io.estafeta.broker.testsupport.TestBroker;
import io.estafeta.broker.testsupport.TestNames;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.estafeta.broker.testsupport.Waiting.letTimePass;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an Application Message carries besides its payload in MQTT 5.0 (3.3.2.3): forwarded unaltered to
 * every subscriber, the Message Expiry Interval counted down, and nothing of it reaching 3.1.1 clients.
 */
class MessagePropertiesConformanceTest {

    private static final byte[] CORRELATION_DATA = {0x00, 0x01, (byte) 0xFE, (byte) 0xFF};
    private static final long TEN_SECONDS = 10;
    private static final long ONE_SECOND = 1;
    /** Past a one-second expiry by a margin a loaded machine needs. */
    private static final Duration PAST_ONE_SECOND = Duration.ofSeconds(2);
    /** Long enough that a whole second of the interval has surely gone by. */
    private static final Duration MORE_THAN_A_SECOND = Duration.ofMillis(1500);
    private static final String SUBACK_RECEIVED = "received SUBACK";

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
    void everyPropertyOfAPublishReachesTheSubscriberUnaltered_MQTT_3_3_2_4_15_16_17_18_20() {
        String topic = TestNames.topic("props");
        try (RawMqttConnection subscriber = Mqtt5Clients.connected(broker, "propsub");
             RawMqttConnection publisher = Mqtt5Clients.connected(broker, "proppub")) {
            subscriber.subscribe(1, topic, 1);

            publisher.send(Packets.publish5(topic).qos(1).packetId(1).payload("{\"v\":1}")
                    .properties(Packets.properties()
                            .add(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1)
                            .add(PropertyId.CONTENT_TYPE, "application/json")
                            .userProperty("k", "first")
                            .add(PropertyId.RESPONSE_TOPIC, "reply/here")
                            .userProperty("other", "x")
                            .add(PropertyId.CORRELATION_DATA, CORRELATION_DATA)
                            .userProperty("k", "second"))
                    .build());
            publisher.expectAck(PacketType.PUBACK, 1);

            MqttPacket delivered = subscriber.receivePublishAndAcknowledge();
            PacketProperties properties = delivered.properties();
            assertThat(delivered.payloadAsString()).isEqualTo("{\"v\":1}");
            assertThat(properties.number(PropertyId.PAYLOAD_FORMAT_INDICATOR)).as("[MQTT-3.3.2-4]").hasValue(1);
            assertThat(properties.string(PropertyId.CONTENT_TYPE)).as("[MQTT-3.3.2-20]").hasValue("application/json");
            assertThat(properties.string(PropertyId.RESPONSE_TOPIC)).as("[MQTT-3.3.2-15]").hasValue("reply/here");
            assertThat(properties.binary(PropertyId.CORRELATION_DATA)).as("[MQTT-3.3.2-16]")
                    .hasValueSatisfying(data -> assertThat(data).containsExactly(CORRELATION_DATA));
            assertThat(properties.userProperties()).as("[MQTT-3.3.2-17], in order [MQTT-3.3.2-18]")
                    .containsExactly(new PacketProperties.UserProperty("k", "first"),
                            new PacketProperties.UserProperty("other", "x"),
                            new PacketProperties.UserProperty("k", "second"));
        }
    }

    @Test
    void propertiesSetWithTheHiveMqClientReachAPahoSubscriber() {
        String topic = TestNames.topic("hive2paho");
        Mqtt5BlockingClient publisher = Mqtt5Clients.hiveMq(broker, TestNames.clientId("hivepub"));
        try (Paho5TestClient subscriber = Paho5TestClient.connect(broker, TestNames.clientId("pahosub"))) {
            subscriber.subscribe(new MqttSubscription(topic, 1));
            publisher.connect();

            publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(Mqtt5Clients.utf8("hello"))
                    .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
                    .contentType("text/plain")
                    .responseTopic("reply/hive")
                    .correlationData(CORRELATION_DATA)
                    .userProperties().add("b", "1").add("a", "2").add("b", "3").applyUserProperties()
                    .send();

            Paho5TestClient.Received received = subscriber.awaitMessages(1).getFirst();
            MqttProperties properties = received.properties();
            assertThat(received.payload()).isEqualTo("hello");
            assertThat(properties.getPayloadFormat()).isTrue();
            assertThat(properties.getContentType()).isEqualTo("text/plain");
            assertThat(properties.getResponseTopic()).isEqualTo("reply/hive");
            assertThat(properties.getCorrelationData()).containsExactly(CORRELATION_DATA);
            assertThat(properties.getUserProperties()).containsExactly(
                    new UserProperty("b", "1"), new UserProperty("a", "2"), new UserProperty("b", "3"));
        } finally {
            Mqtt5Clients.disconnectQuietly(publisher);
        }
    }

    @Test
    void mosquittoClientsExchangeUserPropertiesAndContentType() {
        String topic = TestNames.topic("mosq5");
        try (MosquittoClientProcess sub = MosquittoClientProcess.sub(broker, "-V", "5", "-t", topic, "-C", "1",
                "-d", "-W", "10", "-F", "%t|%p|%C|%P")) {
            sub.awaitLine(line -> line.contains(SUBACK_RECEIVED));

            try (MosquittoClientProcess pub = MosquittoClientProcess.pub(broker, "-V", "5", "-t", topic,
                    "-m", "hola", "-D", "publish", "content-type", "text/plain",
                    "-D", "publish", "user-property", "lang", "es")) {
                assertThat(pub.awaitExit()).as(pub.errors()).isZero();
            }

            assertThat(sub.awaitExit()).as(sub.errors()).isZero();
            assertThat(sub.lines()).contains(topic + "|hola|text/plain|lang:es");
        }
    }

    @Test
    void messageWaitingForAnOfflineSubscriberIsSentWithTheRemainingExpiryInterval_MQTT_3_3_2_6() {
        String clientId = TestNames.clientId("remain");
        String topic = TestNames.topic("remain");
        subscribeAndLeave(clientId, topic);
        publishWithExpiry(topic, "ten seconds to live", TEN_SECONDS);

        letTimePass(MORE_THAN_A_SECOND);

        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            client.connectAccepted(Mqtt5Clients.persistentConnect(clientId, false));
            MqttPacket delivered = client.receivePublishAndAcknowledge();

            assertThat(delivered.payloadAsString()).isEqualTo("ten seconds to live");
            assertThat(delivered.properties().number(PropertyId.MESSAGE_EXPIRY_INTERVAL)).isPresent();
            assertThat(delivered.properties().number(PropertyId.MESSAGE_EXPIRY_INTERVAL).getAsLong()).isPositive().isLessThan(TEN_SECONDS);
            Mqtt5Clients.endSession(client);
        }
    }

    @Test
    void liveDeliveryCarriesTheMessageExpiryInterval_MQTT_3_3_2_6() {
        String topic = TestNames.topic("liveexp");
        try (RawMqttConnection subscriber = Mqtt5Clients.connected(broker, "liveexp")) {
            subscriber.subscribe(1, topic, 1);

            publishWithExpiry(topic, "fresh", TEN_SECONDS);

            MqttPacket delivered = subscriber.receivePublishAndAcknowledge();
            assertThat(delivered.properties().number(PropertyId.MESSAGE_EXPIRY_INTERVAL)).isPresent();
            assertThat(delivered.properties().number(PropertyId.MESSAGE_EXPIRY_INTERVAL).getAsLong()).isPositive().isLessThanOrEqualTo(TEN_SECONDS);
        }
    }

    @Test
    void messageWithoutExpiryIsDeliveredWithoutMessageExpiryInterval() {
        String topic = TestNames.topic("noexp");
        try (RawMqttConnection subscriber = Mqtt5Clients.connected(broker, "noexp");
             RawMqttConnection publisher = Mqtt5Clients.connected(broker, "noexppub")) {
            subscriber.subscribe(1, topic, 1);

            publisher.publishQos1(topic, "forever", 1);

            assertThat(subscriber.receivePublishAndAcknowledge().properties().has(PropertyId.MESSAGE_EXPIRY_INTERVAL))
                    .isFalse();
        }
    }

    @Test
    void expiredMessageIsNotDeliveredToTheReturningSubscriber_MQTT_3_3_2_5() {
        String clientId = TestNames.clientId("expired");
        String topic = TestNames.topic("expired");
        subscribeAndLeave(clientId, topic);
        publishWithExpiry(topic, "gone before you return", ONE_SECOND);
        try (RawMqttConnection publisher = Mqtt5Clients.connected(broker, "expiredpub")) {
            publisher.publishQos1(topic, "no expiry", 1);
        }

        letTimePass(PAST_ONE_SECOND);

        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            client.connectAccepted(Mqtt5Clients.persistentConnect(clientId, false));
            List<MqttPacket> delivered = client.publishesUntilPingResponse();

            assertThat(delivered).extracting(MqttPacket::payloadAsString).containsExactly("no expiry");
            Mqtt5Clients.endSession(client);
        }
    }

    @Test
    void retainedMessageIsDeliveredWithItsRemainingExpiryInterval_MQTT_3_3_2_6() {
        String topic = TestNames.topic("retexp");
        try (RawMqttConnection publisher = Mqtt5Clients.connected(broker, "retexppub")) {
            publisher.send(Packets.publish5(topic).qos(1).packetId(1).retain(true).payload("retained for ten")
                    .properties(Packets.properties().add(PropertyId.MESSAGE_EXPIRY_INTERVAL, TEN_SECONDS)).build());
            publisher.expectAck(PacketType.PUBACK, 1);
        }
        try (RawMqttConnection subscriber = Mqtt5Clients.connected(broker, "retexpsub")) {
            subscriber.subscribe(1, topic, 1);

            MqttPacket retained = subscriber.receivePublishAndAcknowledge();
            assertThat(retained.retain()).isTrue();
            assertThat(retained.properties().number(PropertyId.MESSAGE_EXPIRY_INTERVAL)).isPresent();
            assertThat(retained.properties().number(PropertyId.MESSAGE_EXPIRY_INTERVAL).getAsLong()).isPositive().isLessThanOrEqualTo(TEN_SECONDS);
        } finally {
            clearRetained(topic);
        }
    }

    @Test
    void expiredRetainedMessageIsNoLongerSentToNewSubscribers_MQTT_3_3_2_5() {
        String level = TestNames.topic("retgone");
        String expiring = level + "/expiring";
        String lasting = level + "/lasting";
        try (RawMqttConnection publisher = Mqtt5Clients.connected(broker, "retgonepub")) {
            publisher.send(Packets.publish5(expiring).qos(1).packetId(1).retain(true).payload("expires")
                    .properties(Packets.properties().add(PropertyId.MESSAGE_EXPIRY_INTERVAL, ONE_SECOND)).build());
            publisher.expectAck(PacketType.PUBACK, 1);
            publisher.send(Packets.publish5(lasting).qos(1).packetId(2).retain(true).payload("lasts").build());
            publisher.expectAck(PacketType.PUBACK, 2);
        }

        letTimePass(PAST_ONE_SECOND);

        try (RawMqttConnection subscriber = Mqtt5Clients.connected(broker, "retgonesub")) {
            subscriber.subscribe(1, level + "/#", 1);

            assertThat(subscriber.publishesUntilPingResponse()).extracting(MqttPacket::payloadAsString)
                    .containsExactly("lasts");
        } finally {
            clearRetained(expiring);
            clearRetained(lasting);
        }
    }

    @Test
    void mqtt5PropertiesDoNotReachAnMqtt311Subscriber() {
        String topic = TestNames.topic("to311");
        try (RawMqttConnection subscriber = RawMqttConnection.open(broker);
             RawMqttConnection publisher = Mqtt5Clients.connected(broker, "to311pub")) {
            subscriber.connectAccepted(TestNames.clientId("sub311"), true);
            subscriber.subscribe(1, topic, 1);

            publisher.send(Packets.publish5(topic).qos(1).packetId(1).payload("plain payload")
                    .properties(Packets.properties()
                            .add(PropertyId.CONTENT_TYPE, "text/plain")
                            .add(PropertyId.MESSAGE_EXPIRY_INTERVAL, TEN_SECONDS)
                            .userProperty("k", "v"))
                    .build());
            assertThat(publisher.expectAck(PacketType.PUBACK, 1).reasonCode()).isEqualTo(ReasonCodes.SUCCESS);

            // Read as a 3.1.1 PUBLISH: a property list in it would show up as bytes before the payload.
            MqttPacket delivered = subscriber.receivePublishAndAcknowledge();
            assertThat(delivered.topic()).isEqualTo(topic);
            assertThat(delivered.payloadAsString()).isEqualTo("plain payload");
        }
    }

    @Test
    void mqtt311MessageReachesAnMqtt5SubscriberWithoutProperties() {
        String topic = TestNames.topic("from311");
        try (RawMqttConnection subscriber = Mqtt5Clients.connected(broker, "sub5");
             RawMqttConnection publisher = RawMqttConnection.open(broker)) {
            subscriber.subscribe(1, topic, 1);
            publisher.connectAccepted(TestNames.clientId("pub311"), true);

            publisher.publishQos1(topic, "from 3.1.1", 1);

            MqttPacket delivered = subscriber.receivePublishAndAcknowledge();
            assertThat(delivered.payloadAsString()).isEqualTo("from 3.1.1");
            assertThat(delivered.properties().all()).isEmpty();
        }
    }

    private static void subscribeAndLeave(String clientId, String topic) {
        try (RawMqttConnection client = Mqtt5Clients.connected(broker, Mqtt5Clients.persistentConnect(clientId, true))) {
            client.subscribe(1, topic, 1);
            client.send(Packets.disconnect());
            client.awaitClosed();
        }
    }

    private static void publishWithExpiry(String topic, String payload, long expirySeconds) {
        try (RawMqttConnection publisher = Mqtt5Clients.connected(broker, "exppub")) {
            publisher.send(Packets.publish5(topic).qos(1).packetId(1).payload(payload)
                    .properties(Packets.properties().add(PropertyId.MESSAGE_EXPIRY_INTERVAL, expirySeconds)).build());
            publisher.expectAck(PacketType.PUBACK, 1);
        }
    }

    private static void clearRetained(String topic) {
        try (RawMqttConnection publisher = Mqtt5Clients.connected(broker, "clear")) {
            publisher.send(Packets.publish5(topic).qos(1).packetId(1).retain(true).build());
            publisher.expectAck(PacketType.PUBACK, 1);
        }
    }

}
