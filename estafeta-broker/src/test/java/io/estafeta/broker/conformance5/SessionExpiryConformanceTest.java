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
import io.estafeta.broker.testsupport.ReasonCodes;
import io.estafeta.broker.testsupport.TestBroker;
import io.estafeta.broker.testsupport.TestNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.estafeta.broker.testsupport.Waiting.await;
import static io.estafeta.broker.testsupport.Waiting.letTimePass;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clean Start and the Session Expiry Interval (3.1.2.4, 3.1.2.11.2, 3.14.2.2.2). Whether an offline session
 * still exists is seen without touching it: a QoS 1 PUBLISH to its subscription is acknowledged with 0x00
 * while it exists and with 0x10 (No matching subscribers) once it has gone.
 */
class SessionExpiryConformanceTest {

    private static final long SHORT_EXPIRY_SECONDS = 1;
    /** Long enough for a first probe to find the session still there, short enough to wait for. */
    private static final long OBSERVED_EXPIRY_SECONDS = 2;
    /** Past a one-second interval by a margin a loaded machine needs. */
    private static final Duration PAST_SHORT_EXPIRY = Duration.ofSeconds(2);
    private static final long NEVER_EXPIRES = 0xFFFF_FFFFL;
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
    void sessionWithExpiryIsKeptAfterTheConnectionCloses_MQTT_3_1_2_23() {
        String clientId = TestNames.clientId("keep");
        String topic = TestNames.topic("keep");
        subscribeAndLeave(clientId, topic, Mqtt5Clients.LONG_SESSION_EXPIRY_SECONDS);
        try (RawMqttConnection publisher = Mqtt5Clients.connected(broker, "keeppub")) {
            publisher.publishQos1(topic, "while away", 1);
        }

        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            MqttPacket connack = client.connectAccepted(Mqtt5Clients.persistentConnect(clientId, false));

            assertThat(connack.sessionPresent()).as("[MQTT-3.2.2-3]").isTrue();
            assertThat(client.receivePublishAndAcknowledge().payloadAsString()).isEqualTo("while away");
            Mqtt5Clients.endSession(client);
        }
    }

    @Test
    void sessionEndsOnceTheSessionExpiryIntervalHasPassed_MQTT_3_1_2_23() {
        String clientId = TestNames.clientId("expire");
        String topic = TestNames.topic("expire");
        subscribeAndLeave(clientId, topic, OBSERVED_EXPIRY_SECONDS);
        assertThat(probe(topic)).as("kept while the interval runs").isEqualTo(ReasonCodes.SUCCESS);

        await().pollInterval(Duration.ofMillis(100))
                .until(() -> probe(topic) == ReasonCodes.NO_MATCHING_SUBSCRIBERS);

        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            assertThat(client.connectAccepted(Mqtt5Clients.persistentConnect(clientId, false)).sessionPresent())
                    .isFalse();
            Mqtt5Clients.endSession(client);
        }
    }

    @Test
    void absentSessionExpiryEndsTheSessionWithTheConnection() {
        String clientId = TestNames.clientId("noexpiry");
        String topic = TestNames.topic("noexpiry");
        try (RawMqttConnection client = Mqtt5Clients.connected(broker, Packets.connect5(clientId))) {
            client.subscribe(1, topic, 1);
            client.disconnect();
        }

        await().until(() -> probe(topic) == ReasonCodes.NO_MATCHING_SUBSCRIBERS);
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            assertThat(client.connectAccepted(Packets.connect5(clientId).cleanStart(false)).sessionPresent())
                    .as("[MQTT-3.2.2-3] no session state for this client id").isFalse();
        }
    }

    @Test
    void sessionThatNeverExpiresOutlivesAShortInterval() {
        String clientId = TestNames.clientId("forever");
        String topic = TestNames.topic("forever");
        subscribeAndLeave(clientId, topic, NEVER_EXPIRES);

        // 0xFFFFFFFF is "never", not -1 or a short time: it must still be there after a while.
        letTimePass(PAST_SHORT_EXPIRY);

        assertThat(probe(topic)).isEqualTo(ReasonCodes.SUCCESS);
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            assertThat(client.connectAccepted(Mqtt5Clients.persistentConnect(clientId, false)).sessionPresent())
                    .isTrue();
            Mqtt5Clients.endSession(client);
        }
    }

    @Test
    void cleanStartDiscardsTheExistingSession_MQTT_3_1_2_4_and_3_2_2_2() {
        String clientId = TestNames.clientId("cleanst");
        String topic = TestNames.topic("cleanst");
        subscribeAndLeave(clientId, topic, Mqtt5Clients.LONG_SESSION_EXPIRY_SECONDS);

        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            MqttPacket connack = client.connectAccepted(Mqtt5Clients.persistentConnect(clientId, true));

            assertThat(connack.sessionPresent()).isFalse();
            assertThat(probe(topic)).as("the old session's subscription went with it")
                    .isEqualTo(ReasonCodes.NO_MATCHING_SUBSCRIBERS);
            Mqtt5Clients.endSession(client);
        }
    }

    @Test
    void cleanStartZeroWithoutASessionCreatesOne_MQTT_3_1_2_6() {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            MqttPacket connack = client.connectAccepted(
                    Mqtt5Clients.persistentConnect(TestNames.clientId("newsess"), false));

            assertThat(connack.sessionPresent()).as("[MQTT-3.2.2-3]").isFalse();
            Mqtt5Clients.endSession(client);
        }
    }

    @Test
    void disconnectCanShortenTheSessionExpiryInterval() {
        String clientId = TestNames.clientId("shorten");
        String topic = TestNames.topic("shorten");
        try (RawMqttConnection client = Mqtt5Clients.connected(broker,
                Mqtt5Clients.persistentConnect(clientId, true))) {
            client.subscribe(1, topic, 1);
            // 3.14.2.2.2: the DISCONNECT's interval replaces the CONNECT's.
            client.send(Packets.disconnect5(ReasonCodes.NORMAL_DISCONNECTION,
                    Packets.properties().add(PropertyId.SESSION_EXPIRY_INTERVAL, SHORT_EXPIRY_SECONDS)));
            client.awaitClosed();
        }

        await().pollInterval(Duration.ofMillis(100))
                .until(() -> probe(topic) == ReasonCodes.NO_MATCHING_SUBSCRIBERS);
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            assertThat(client.connectAccepted(Mqtt5Clients.persistentConnect(clientId, false)).sessionPresent())
                    .isFalse();
            Mqtt5Clients.endSession(client);
        }
    }

    @Test
    void disconnectWithSessionExpiryZeroEndsTheSession() {
        String clientId = TestNames.clientId("endnow");
        String topic = TestNames.topic("endnow");
        try (RawMqttConnection client = Mqtt5Clients.connected(broker,
                Mqtt5Clients.persistentConnect(clientId, true))) {
            client.subscribe(1, topic, 1);
            Mqtt5Clients.endSession(client);
            client.awaitClosed();
        }

        await().until(() -> probe(topic) == ReasonCodes.NO_MATCHING_SUBSCRIBERS);
    }

    @Test
    void disconnectCanExtendANonZeroSessionExpiryInterval() {
        String clientId = TestNames.clientId("extend");
        String topic = TestNames.topic("extend");
        try (RawMqttConnection client = Mqtt5Clients.connected(broker, Packets.connect5(clientId)
                .properties(Packets.properties().add(PropertyId.SESSION_EXPIRY_INTERVAL, SHORT_EXPIRY_SECONDS)))) {
            client.subscribe(1, topic, 1);
            client.send(Packets.disconnect5(ReasonCodes.NORMAL_DISCONNECTION, Packets.properties()
                    .add(PropertyId.SESSION_EXPIRY_INTERVAL, Mqtt5Clients.LONG_SESSION_EXPIRY_SECONDS)));
            client.awaitClosed();
        }

        letTimePass(PAST_SHORT_EXPIRY);

        assertThat(probe(topic)).as("still there after the CONNECT's interval").isEqualTo(ReasonCodes.SUCCESS);
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            assertThat(client.connectAccepted(Mqtt5Clients.persistentConnect(clientId, false)).sessionPresent())
                    .isTrue();
            Mqtt5Clients.endSession(client);
        }
    }

    @Test
    void disconnectSettingAnExpiryAfterConnectSetZeroIsAProtocolErrorAndPublishesTheWill() {
        String willTopic = TestNames.topic("sei0will");
        try (RawMqttConnection watcher = Mqtt5Clients.connected(broker, "sei0watch");
             RawMqttConnection client = Mqtt5Clients.connected(broker,
                     Packets.connect5(TestNames.clientId("sei0")).will(willTopic, "not a valid DISCONNECT", 0, false))) {
            watcher.subscribe(1, willTopic, 0);

            client.send(Packets.disconnect5(ReasonCodes.NORMAL_DISCONNECTION,
                    Packets.properties().add(PropertyId.SESSION_EXPIRY_INTERVAL, Mqtt5Clients.LONG_SESSION_EXPIRY_SECONDS)));

            // 3.14.2.2.2: "it does not treat it as a valid DISCONNECT packet. The Server uses DISCONNECT with
            // Reason Code 0x82 (Protocol Error)". Not a valid DISCONNECT 0x00, so the will goes out [MQTT-3.1.2-8].
            assertThat(client.awaitServerDisconnect().reasonCode()).isEqualTo(ReasonCodes.PROTOCOL_ERROR);
            assertThat(watcher.receive(PacketType.PUBLISH).payloadAsString()).isEqualTo("not a valid DISCONNECT");
        }
    }

    @Test
    void hiveMqClientResumesItsSessionAndGetsTheMessagesItMissed_MQTT_3_1_2_5() throws InterruptedException {
        String clientId = TestNames.clientId("hivesess");
        String topic = TestNames.topic("hivesess");
        Mqtt5BlockingClient first = Mqtt5Clients.hiveMq(broker, clientId);
        assertThat(first.connectWith().cleanStart(true).sessionExpiryInterval(Mqtt5Clients.LONG_SESSION_EXPIRY_SECONDS)
                .send().isSessionPresent()).isFalse();
        first.subscribeWith().topicFilter(topic).qos(MqttQos.EXACTLY_ONCE).send();
        first.disconnect();

        Mqtt5BlockingClient publisher = Mqtt5Clients.hiveMq(broker, TestNames.clientId("hivepub"));
        publisher.connect();
        publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(Mqtt5Clients.utf8("missed")).send();
        publisher.disconnect();

        Mqtt5BlockingClient again = Mqtt5Clients.hiveMq(broker, clientId);
        try (Mqtt5Publishes publishes = again.publishes(MqttGlobalPublishFilter.ALL)) {
            assertThat(again.connectWith().cleanStart(false).sessionExpiryInterval(0).send().isSessionPresent())
                    .isTrue();

            Mqtt5Publish missed = publishes.receive(RECEIVE_TIMEOUT_SECONDS, TimeUnit.SECONDS).orElseThrow();
            assertThat(Mqtt5Clients.utf8(missed.getPayloadAsBytes())).isEqualTo("missed");
            assertThat(missed.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
        } finally {
            Mqtt5Clients.disconnectQuietly(again);
        }
    }

    /** Connects with the given Session Expiry Interval, subscribes at QoS 1 and disconnects normally. */
    private static void subscribeAndLeave(String clientId, String topic, long expirySeconds) {
        try (RawMqttConnection client = Mqtt5Clients.connected(broker, Packets.connect5(clientId)
                .properties(Packets.properties().add(PropertyId.SESSION_EXPIRY_INTERVAL, expirySeconds)))) {
            client.subscribe(1, topic, 1);
            client.send(Packets.disconnect());
            client.awaitClosed();
        }
    }

    /** Publishes a QoS 1 message to the topic and returns the PUBACK's reason code. */
    private static int probe(String topic) {
        try (RawMqttConnection publisher = Mqtt5Clients.connected(broker, "probe")) {
            int reason = publisher.publishQos1(topic, "probe", 1).reasonCode();
            publisher.disconnect();
            return reason;
        }
    }

}
