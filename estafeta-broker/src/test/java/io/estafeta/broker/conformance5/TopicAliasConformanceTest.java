package io.estafeta.broker.conformance5;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient.Mqtt5Publishes;
import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.testsupport.MqttPacket;
import io.estafeta.broker.testsupport.PacketType;
import io.estafeta.broker.testsupport.Packets;
import io.estafeta.broker.testsupport.Paho5TestClient;
import io.estafeta.broker.testsupport.PropertyId;
import io.estafeta.broker.testsupport.RawMqttConnection;
import io.estafeta.broker.testsupport.ReasonCodes;
import io.estafeta.broker.testsupport.TestBroker;
import io.estafeta.broker.testsupport.TestNames;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Topic Aliases (3.3.2.3.4) both ways: the server resolves the client's aliases within its Topic Alias
 * Maximum, and uses aliases towards a client only within the client's.
 */
class TopicAliasConformanceTest {

    private static final int SERVER_TOPIC_ALIAS_MAXIMUM = BrokerConfig.DEFAULT_MAX_TOPIC_ALIAS;
    private static final int CLIENT_TOPIC_ALIAS_MAXIMUM = 2;
    private static final int MAXIMUM_PACKET_SIZE = 100;
    private static final int TOO_BIG_FOR_THE_CLIENT = 200;
    private static final int REPEATS = 5;
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

    // ---------------------------------------------------------------- client to server

    @Test
    void aliasSetWithATopicStandsForItInLaterPublishes_MQTT_3_3_2_12() {
        String topic = TestNames.topic("alias");
        try (RawMqttConnection subscriber = Mqtt5Clients.connected(broker, "aliassub");
             RawMqttConnection publisher = Mqtt5Clients.connected(broker, "aliaspub")) {
            subscriber.subscribe(1, topic, 1);

            publisher.send(aliased(topic, 1, "sets the alias", 1));
            publisher.expectAck(PacketType.PUBACK, 1);
            publisher.send(aliased("", 1, "uses the alias", 2));
            publisher.expectAck(PacketType.PUBACK, 2);

            assertThat(List.of(subscriber.receivePublishAndAcknowledge(), subscriber.receivePublishAndAcknowledge()))
                    .extracting(MqttPacket::topic, MqttPacket::payloadAsString)
                    .containsExactly(tuple(topic, "sets the alias"),
                            tuple(topic, "uses the alias"));
        }
    }

    @Test
    void aliasCanBeMappedToAnotherTopic() {
        String first = TestNames.topic("remap");
        String second = TestNames.topic("remap");
        try (RawMqttConnection subscriber = Mqtt5Clients.connected(broker, "remapsub");
             RawMqttConnection publisher = Mqtt5Clients.connected(broker, "remappub")) {
            subscriber.subscribe(1, first, 1);
            subscriber.subscribe(2, second, 1);

            publisher.send(aliased(first, 3, "a", 1));
            publisher.expectAck(PacketType.PUBACK, 1);
            publisher.send(aliased(second, 3, "b", 2));
            publisher.expectAck(PacketType.PUBACK, 2);
            publisher.send(aliased("", 3, "c", 3));
            publisher.expectAck(PacketType.PUBACK, 3);

            List<String> received = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                MqttPacket publish = subscriber.receivePublishAndAcknowledge();
                received.add(publish.payloadAsString() + "@" + publish.topic());
            }
            assertThat(received).containsExactly("a@" + first, "b@" + second, "c@" + second);
        }
    }

    @Test
    void aliasEqualToTheServersMaximumIsAccepted_MQTT_3_3_2_12() {
        String topic = TestNames.topic("aliasmax");
        try (RawMqttConnection publisher = RawMqttConnection.open(broker)) {
            MqttPacket connack = publisher.connectAccepted(Packets.connect5(TestNames.clientId("aliasmax")));
            assertThat(connack.properties().number(PropertyId.TOPIC_ALIAS_MAXIMUM)).hasValue(SERVER_TOPIC_ALIAS_MAXIMUM);

            publisher.send(aliased(topic, SERVER_TOPIC_ALIAS_MAXIMUM, "highest", 1));

            publisher.expectAck(PacketType.PUBACK, 1);
        }
    }

    @Test
    void aliasZeroGetsDisconnect0x94_MQTT_3_3_2_8() {
        try (RawMqttConnection publisher = Mqtt5Clients.connected(broker, "alias0")) {
            publisher.send(aliased(TestNames.topic("alias0"), 0, "zero", 1));

            assertThat(publisher.awaitServerDisconnect().reasonCode()).isEqualTo(ReasonCodes.TOPIC_ALIAS_INVALID);
        }
    }

    @Test
    void aliasAboveTheServersMaximumGetsDisconnect0x94_MQTT_3_3_2_9() {
        try (RawMqttConnection publisher = Mqtt5Clients.connected(broker, "aliasover")) {
            publisher.send(aliased(TestNames.topic("aliasover"), SERVER_TOPIC_ALIAS_MAXIMUM + 1, "too high", 1));

            assertThat(publisher.awaitServerDisconnect().reasonCode()).isEqualTo(ReasonCodes.TOPIC_ALIAS_INVALID);
        }
    }

    @Test
    void anyAliasGetsDisconnect0x94WhenTheServerAllowsNone_MQTT_3_2_2_18() {
        try (TestBroker noAliases = TestBroker.start(config -> config.maxTopicAlias(0));
             RawMqttConnection publisher = RawMqttConnection.open(noAliases)) {
            MqttPacket connack = publisher.connectAccepted(Packets.connect5(TestNames.clientId("noalias")));
            assertThat(connack.properties().number(PropertyId.TOPIC_ALIAS_MAXIMUM).orElse(0)).isZero();

            publisher.send(aliased(TestNames.topic("noalias"), 1, "not allowed", 1));

            assertThat(publisher.awaitServerDisconnect().reasonCode()).isEqualTo(ReasonCodes.TOPIC_ALIAS_INVALID);
        }
    }

    @Test
    void emptyTopicWithAnAliasNeverSetIsAProtocolError() {
        try (RawMqttConnection publisher = Mqtt5Clients.connected(broker, "unset")) {
            publisher.send(aliased("", 4, "which topic?", 1));

            // 3.3.4: no mapping for the alias and a zero length Topic Name: DISCONNECT 0x82.
            assertThat(publisher.awaitServerDisconnect().reasonCode()).isEqualTo(ReasonCodes.PROTOCOL_ERROR);
        }
    }

    @Test
    void aliasesDoNotCarryOverToTheNextConnection_MQTT_3_3_2_7() {
        String clientId = TestNames.clientId("carry");
        try (RawMqttConnection first = Mqtt5Clients.connected(broker, Packets.connect5(clientId))) {
            first.send(aliased(TestNames.topic("carry"), 1, "set here", 1));
            first.expectAck(PacketType.PUBACK, 1);
            first.disconnect();
        }
        try (RawMqttConnection second = Mqtt5Clients.connected(broker, Packets.connect5(clientId))) {
            second.send(aliased("", 1, "used there", 1));

            assertThat(second.awaitServerDisconnect().reasonCode()).isEqualTo(ReasonCodes.PROTOCOL_ERROR);
        }
    }

    @Test
    void pahoPublisherUsingTopicAliasesIsUnderstood() {
        String topic = TestNames.topic("pahoalias");
        try (RawMqttConnection subscriber = Mqtt5Clients.connected(broker, "pahoaliassub");
             Paho5TestClient publisher = Paho5TestClient.connect(broker, TestNames.clientId("pahoalias"))) {
            subscriber.subscribe(1, topic, 1);

            for (int i = 1; i <= REPEATS; i++) {
                MqttMessage message = new MqttMessage(Mqtt5Clients.utf8("p" + i));
                message.setQos(1);
                publisher.publish(topic, message);
            }

            for (int i = 1; i <= REPEATS; i++) {
                MqttPacket publish = subscriber.receivePublishAndAcknowledge();
                assertThat(publish.topic()).isEqualTo(topic);
                assertThat(publish.payloadAsString()).isEqualTo("p" + i);
            }
        }
    }

    // ---------------------------------------------------------------- server to client

    // Whether to use aliases towards a client is the server's choice; Estafeta uses them when the client allows.
    @Test
    void serverSendsAnAliasOnceThenTheAliasAloneWhenTheClientAllowsAliases_MQTT_3_3_2_11() {
        String topic = TestNames.topic("outalias");
        try (RawMqttConnection subscriber = Mqtt5Clients.connected(broker, withTopicAliasMaximum("outalias"));
             RawMqttConnection publisher = Mqtt5Clients.connected(broker, "outaliaspub")) {
            subscriber.subscribe(1, topic, 1);

            publisher.publishQos1(topic, "first", 1);
            publisher.publishQos1(topic, "second", 2);

            MqttPacket first = subscriber.receivePublishAndAcknowledge();
            MqttPacket second = subscriber.receivePublishAndAcknowledge();
            long alias = first.properties().number(PropertyId.TOPIC_ALIAS).orElseThrow();
            assertThat(first.topic()).isEqualTo(topic);
            assertThat(alias).isBetween(1L, (long) CLIENT_TOPIC_ALIAS_MAXIMUM);
            assertThat(second.topic()).isEmpty();
            assertThat(second.properties().number(PropertyId.TOPIC_ALIAS)).hasValue(alias);
            assertThat(second.payloadAsString()).isEqualTo("second");
        }
    }

    @Test
    void aliasesTowardsTheClientStayWithinItsMaximumAndAlwaysResolve_MQTT_3_1_2_26() {
        String level = TestNames.topic("manyalias");
        List<String> topics = List.of(level + "/a", level + "/b", level + "/c", level + "/a", level + "/c",
                level + "/b", level + "/a");
        try (RawMqttConnection subscriber = Mqtt5Clients.connected(broker, withTopicAliasMaximum("manyalias"));
             RawMqttConnection publisher = Mqtt5Clients.connected(broker, "manyaliaspub")) {
            subscriber.subscribe(1, level + "/#", 1);

            for (int i = 0; i < topics.size(); i++) {
                publisher.publishQos1(topics.get(i), "m" + i, i + 1);
            }

            Map<Long, String> aliases = new HashMap<>();
            for (int i = 0; i < topics.size(); i++) {
                MqttPacket publish = subscriber.receivePublishAndAcknowledge();
                String topic = publish.topic();
                if (publish.properties().has(PropertyId.TOPIC_ALIAS)) {
                    long alias = publish.properties().number(PropertyId.TOPIC_ALIAS).orElseThrow();
                    assertThat(alias).as("[MQTT-3.3.2-11]").isBetween(1L, (long) CLIENT_TOPIC_ALIAS_MAXIMUM);
                    if (topic.isEmpty()) {
                        assertThat(aliases).as("an alias the server never set: %s", publish).containsKey(alias);
                        topic = aliases.get(alias);
                    } else {
                        aliases.put(alias, topic);
                    }
                }
                assertThat(topic).as("message %d", i).isEqualTo(topics.get(i));
            }
        }
    }

    @Test
    void serverSendsNoAliasesToAClientThatAllowsNone_MQTT_3_1_2_27() {
        String topic = TestNames.topic("noout");
        try (RawMqttConnection subscriber = Mqtt5Clients.connected(broker, "noout");
             RawMqttConnection publisher = Mqtt5Clients.connected(broker, "nooutpub")) {
            subscriber.subscribe(1, topic, 1);

            for (int i = 1; i <= REPEATS; i++) {
                publisher.publishQos1(topic, "m" + i, i);
            }

            for (int i = 1; i <= REPEATS; i++) {
                MqttPacket publish = subscriber.receivePublishAndAcknowledge();
                assertThat(publish.topic()).isEqualTo(topic);
                assertThat(publish.properties().has(PropertyId.TOPIC_ALIAS)).isFalse();
            }
        }
    }

    @Test
    void aliasIsNotTakenForAPublishTooLargeToSend_MQTT_3_1_2_25() {
        String topic = TestNames.topic("bigalias");
        try (RawMqttConnection subscriber = Mqtt5Clients.connected(broker, Packets.connect5(TestNames.clientId("bigalias"))
                .properties(Packets.properties()
                        .add(PropertyId.TOPIC_ALIAS_MAXIMUM, CLIENT_TOPIC_ALIAS_MAXIMUM)
                        .add(PropertyId.MAXIMUM_PACKET_SIZE, MAXIMUM_PACKET_SIZE)));
             RawMqttConnection publisher = Mqtt5Clients.connected(broker, "bigaliaspub")) {
            subscriber.subscribe(1, topic, 1);

            publisher.send(Packets.publish5(topic).qos(1).packetId(1).payload(new byte[TOO_BIG_FOR_THE_CLIENT]).build());
            publisher.expectAck(PacketType.PUBACK, 1);
            publisher.publishQos1(topic, "small", 2);

            // The large PUBLISH was never sent, so it cannot have told the client an alias: the small one
            // must carry the topic name, or the client has no way to know it.
            MqttPacket small = subscriber.receivePublishAndAcknowledge();
            assertThat(small.payloadAsString()).isEqualTo("small");
            assertThat(small.topic()).isEqualTo(topic);
        }
    }

    @Test
    void hiveMqClientAllowingAliasesReceivesTheRightTopics() throws InterruptedException {
        String level = TestNames.topic("hivealias");
        Mqtt5BlockingClient subscriber = Mqtt5Clients.hiveMq(broker, TestNames.clientId("hivealias"));
        try (Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL);
             RawMqttConnection publisher = Mqtt5Clients.connected(broker, "hivealiaspub")) {
            subscriber.connectWith().restrictions().topicAliasMaximum(CLIENT_TOPIC_ALIAS_MAXIMUM).applyRestrictions()
                    .send();
            subscriber.subscribeWith().topicFilter(level + "/#").qos(MqttQos.AT_LEAST_ONCE).send();
            List<String> topics = new ArrayList<>();
            for (int i = 0; i < REPEATS; i++) {
                topics.add(level + "/x");
                topics.add(level + "/y");
            }

            for (int i = 0; i < topics.size(); i++) {
                publisher.publishQos1(topics.get(i), "m" + i, i + 1);
            }

            List<String> received = new ArrayList<>();
            for (int i = 0; i < topics.size(); i++) {
                received.add(publishes.receive(RECEIVE_TIMEOUT_SECONDS, TimeUnit.SECONDS).orElseThrow()
                        .getTopic().toString());
            }
            assertThat(received).containsExactlyElementsOf(topics);
        } finally {
            Mqtt5Clients.disconnectQuietly(subscriber);
        }
    }

    private static byte[] aliased(String topic, int alias, String payload, int packetId) {
        return Packets.publish5(topic).qos(1).packetId(packetId).payload(payload)
                .properties(Packets.properties().add(PropertyId.TOPIC_ALIAS, alias)).build();
    }

    private static Packets.Connect withTopicAliasMaximum(String hint) {
        return Packets.connect5(TestNames.clientId(hint))
                .properties(Packets.properties().add(PropertyId.TOPIC_ALIAS_MAXIMUM, CLIENT_TOPIC_ALIAS_MAXIMUM));
    }
}
