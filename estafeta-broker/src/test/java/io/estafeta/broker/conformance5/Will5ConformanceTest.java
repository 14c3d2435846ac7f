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

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Will Message in MQTT 5.0: DISCONNECT reason codes that keep or discard it (3.14.4), the Will Delay
 * Interval (3.1.3.2.2) and its race with the session's end, will properties (3.1.3.2).
 */
class Will5ConformanceTest {

    private static final long ONE_SECOND = 1;
    private static final long TWO_SECONDS = 2;
    /** Longer than any test here waits: a will with this delay only goes out because its session ends. */
    private static final long LONG_WILL_DELAY_SECONDS = 60;
    /** Past a two-second delay by a margin a loaded machine needs. */
    private static final Duration PAST_TWO_SECONDS = Duration.ofMillis(3000);

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
    void disconnectWithReasonCode0x04PublishesTheWill() {
        String willTopic = TestNames.topic("will04");
        try (RawMqttConnection watcher = watcher(willTopic);
             RawMqttConnection client = Mqtt5Clients.connected(broker,
                     Packets.connect5(TestNames.clientId("will04")).will(willTopic, "with will", 0, false))) {

            client.send(Packets.disconnect5(ReasonCodes.DISCONNECT_WITH_WILL_MESSAGE, Packets.properties()));
            client.awaitClosed();

            assertThat(watcher.receive(PacketType.PUBLISH).payloadAsString()).isEqualTo("with will");
        }
    }

    @Test
    void disconnectWithReasonCode0x00DiscardsTheWill_MQTT_3_14_4_3() {
        String willTopic = TestNames.topic("will00");
        try (RawMqttConnection watcher = watcher(willTopic);
             RawMqttConnection client = Mqtt5Clients.connected(broker,
                     Packets.connect5(TestNames.clientId("will00")).will(willTopic, "must not be sent", 0, false))) {

            client.send(Packets.disconnect5(ReasonCodes.NORMAL_DISCONNECTION, Packets.properties()));
            client.awaitClosed();
            publish(willTopic, "marker");

            assertThat(watcher.receive(PacketType.PUBLISH).payloadAsString()).isEqualTo("marker");
        }
    }

    @Test
    void willCarriesItsPropertiesAndUserPropertiesInOrder_MQTT_3_1_3_10() {
        String willTopic = TestNames.topic("willprops");
        try (RawMqttConnection watcher = watcher(willTopic)) {
            RawMqttConnection client = Mqtt5Clients.connected(broker, Packets.connect5(TestNames.clientId("willprops"))
                    .will(willTopic, "{\"gone\":true}", 0, false)
                    .willProperties(Packets.properties()
                            .add(PropertyId.CONTENT_TYPE, "application/json")
                            .add(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1)
                            .userProperty("z", "1")
                            .userProperty("a", "2")
                            .userProperty("z", "3")));

            client.close();

            MqttPacket will = watcher.receive(PacketType.PUBLISH);
            assertThat(will.payloadAsString()).isEqualTo("{\"gone\":true}");
            assertThat(will.properties().string(PropertyId.CONTENT_TYPE)).hasValue("application/json");
            assertThat(will.properties().number(PropertyId.PAYLOAD_FORMAT_INDICATOR)).hasValue(1);
            assertThat(will.properties().userProperties()).extracting(p -> p.name() + "=" + p.value())
                    .containsExactly("z=1", "a=2", "z=3");
        }
    }

    @Test
    void willIsPublishedOnceTheWillDelayIntervalHasPassed_MQTT_3_1_2_8() {
        String willTopic = TestNames.topic("delayed");
        try (RawMqttConnection watcher = watcher(willTopic)) {
            RawMqttConnection client = Mqtt5Clients.connected(broker, persistentWithWill(TestNames.clientId("delayed"), willTopic,
                    "after a second", ONE_SECOND));

            client.close();

            assertThat(watcher.receive(PacketType.PUBLISH).payloadAsString()).isEqualTo("after a second");
        }
    }

    @Test
    void willIsNotPublishedWhenTheSessionIsResumedWithinTheDelay_MQTT_3_1_3_9() {
        String willTopic = TestNames.topic("resumed");
        String clientId = TestNames.clientId("resumed");
        try (RawMqttConnection watcher = watcher(willTopic)) {
            try (RawMqttConnection first = Mqtt5Clients.connected(broker,
                    persistentWithWill(clientId, willTopic, "must not be sent", TWO_SECONDS))) {
                // 0x04 keeps the will, and the server has handed it to the session before it closes: the
                // connection below resumes the session, it does not take it over from a live connection.
                first.send(Packets.disconnect5(ReasonCodes.DISCONNECT_WITH_WILL_MESSAGE, Packets.properties()));
                first.awaitClosed();
            }

            try (RawMqttConnection again = RawMqttConnection.open(broker)) {
                assertThat(again.connectAccepted(Mqtt5Clients.persistentConnect(clientId, false)).sessionPresent())
                        .isTrue();

                watcher.expectNothingFor(PAST_TWO_SECONDS);
                Mqtt5Clients.endSession(again);
            }
        }
    }

    @Test
    void willIsNotPublishedWhenANewConnectionTakesTheSessionOverWithinTheDelay_MQTT_3_1_2_8() {
        String willTopic = TestNames.topic("takeover");
        String clientId = TestNames.clientId("takeover");
        try (RawMqttConnection watcher = watcher(willTopic);
             RawMqttConnection first = Mqtt5Clients.connected(broker,
                     persistentWithWill(clientId, willTopic, "must not be sent", TWO_SECONDS));
             RawMqttConnection second = RawMqttConnection.open(broker)) {

            // 3.1.4 non-normative comment: the will of the existing connection is sent "unless the new
            // connection specifies Clean Start of 0 and the Will Delay is greater than zero".
            assertThat(second.connectAccepted(Mqtt5Clients.persistentConnect(clientId, false)).sessionPresent())
                    .isTrue();
            assertThat(first.awaitServerDisconnect().reasonCode()).isEqualTo(ReasonCodes.SESSION_TAKEN_OVER);

            watcher.expectNothingFor(PAST_TWO_SECONDS);
            Mqtt5Clients.endSession(second);
        }
    }

    @Test
    void willIsPublishedWhenTheSessionEndsBeforeTheWillDelay_MQTT_3_1_2_8() {
        String willTopic = TestNames.topic("sessend");
        try (RawMqttConnection watcher = watcher(willTopic)) {
            RawMqttConnection client = Mqtt5Clients.connected(broker, Packets.connect5(TestNames.clientId("sessend"))
                    .properties(Packets.properties().add(PropertyId.SESSION_EXPIRY_INTERVAL, ONE_SECOND))
                    .will(willTopic, "session over", 0, false)
                    .willProperties(Packets.properties().add(PropertyId.WILL_DELAY_INTERVAL, LONG_WILL_DELAY_SECONDS)));

            client.close();

            // The session expires after one second: that ends the wait for the will's delay (3.1.3.2.2).
            assertThat(watcher.receive(PacketType.PUBLISH).payloadAsString()).isEqualTo("session over");
        }
    }

    @Test
    void willWithADelayIsPublishedAtOnceWhenTheSessionEndsWithTheConnection_MQTT_3_1_2_8() {
        String willTopic = TestNames.topic("noexp");
        try (RawMqttConnection watcher = watcher(willTopic)) {
            RawMqttConnection client = Mqtt5Clients.connected(broker, Packets.connect5(TestNames.clientId("noexp"))
                    .will(willTopic, "no session to wait in", 0, false)
                    .willProperties(Packets.properties().add(PropertyId.WILL_DELAY_INTERVAL, LONG_WILL_DELAY_SECONDS)));

            client.close();

            assertThat(watcher.receive(PacketType.PUBLISH).payloadAsString()).isEqualTo("no session to wait in");
        }
    }

    @Test
    void cleanStartTakeoverEndsTheOldSessionAndPublishesItsDelayedWill_MQTT_3_1_4_3() {
        String willTopic = TestNames.topic("cstake");
        String clientId = TestNames.clientId("cstake");
        try (RawMqttConnection watcher = watcher(willTopic);
             RawMqttConnection first = Mqtt5Clients.connected(broker,
                     persistentWithWill(clientId, willTopic, "old session ended", LONG_WILL_DELAY_SECONDS));
             RawMqttConnection second = RawMqttConnection.open(broker)) {

            assertThat(second.connectAccepted(Mqtt5Clients.persistentConnect(clientId, true)).sessionPresent())
                    .isFalse();

            assertThat(first.awaitServerDisconnect().reasonCode()).isEqualTo(ReasonCodes.SESSION_TAKEN_OVER);
            assertThat(watcher.receive(PacketType.PUBLISH).payloadAsString()).isEqualTo("old session ended");
            Mqtt5Clients.endSession(second);
        }
    }

    private static Packets.Connect persistentWithWill(String clientId, String willTopic, String payload,
                                                      long delaySeconds) {
        return Mqtt5Clients.persistentConnect(clientId, true)
                .will(willTopic, payload, 0, false)
                .willProperties(Packets.properties().add(PropertyId.WILL_DELAY_INTERVAL, delaySeconds));
    }

    private static RawMqttConnection watcher(String topic) {
        RawMqttConnection watcher = Mqtt5Clients.connected(broker, "watcher");
        watcher.subscribe(1, topic, 0);
        return watcher;
    }

    private static void publish(String topic, String payload) {
        try (RawMqttConnection publisher = Mqtt5Clients.connected(broker, "publisher")) {
            publisher.publishQos1(topic, payload, 1);
            publisher.disconnect();
        }
    }
}
