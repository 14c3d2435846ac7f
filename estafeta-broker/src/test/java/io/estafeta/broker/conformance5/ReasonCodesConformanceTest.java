package io.estafeta.broker.conformance5;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.unsubscribe.unsuback.Mqtt5UnsubAckReasonCode;
import io.estafeta.broker.testsupport.MqttPacket;
import io.estafeta.broker.testsupport.PacketType;
import io.estafeta.broker.testsupport.Packets;
import io.estafeta.broker.testsupport.RawMqttConnection;
import io.estafeta.broker.testsupport.ReasonCodes;
import io.estafeta.broker.testsupport.TestBroker;
import io.estafeta.broker.testsupport.TestNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The reason codes of MQTT 5.0 acknowledgements: PUBACK, PUBREC, PUBCOMP, SUBACK, UNSUBACK (3.4 to 3.11). */
class ReasonCodesConformanceTest {

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
    void pubackSaysNoMatchingSubscribersWhenNobodyIsSubscribed_MQTT_3_4_2_1() {
        try (RawMqttConnection publisher = Mqtt5Clients.connected(broker, "nosubs")) {
            MqttPacket puback = publisher.publishQos1(TestNames.topic("nobody"), "unheard", 1);

            assertThat(puback.reasonCode()).isEqualTo(ReasonCodes.NO_MATCHING_SUBSCRIBERS);
        }
    }

    @Test
    void pubackSaysSuccessWhenSomeoneIsSubscribed_MQTT_3_4_2_1() {
        String topic = TestNames.topic("somebody");
        try (RawMqttConnection subscriber = Mqtt5Clients.connected(broker, "somesub");
             RawMqttConnection publisher = Mqtt5Clients.connected(broker, "somepub")) {
            subscriber.subscribe(1, topic, 0);

            assertThat(publisher.publishQos1(topic, "heard", 1).reasonCode()).isEqualTo(ReasonCodes.SUCCESS);
        }
    }

    @Test
    void pubrecSaysNoMatchingSubscribersAndTheQos2ExchangeStillCompletes_MQTT_3_5_2_1() {
        try (RawMqttConnection publisher = Mqtt5Clients.connected(broker, "nosubs2")) {
            publisher.send(Packets.publish5(TestNames.topic("nobody2")).qos(2).packetId(7).payload("x").build());

            assertThat(publisher.expectAck(PacketType.PUBREC, 7).reasonCode())
                    .isEqualTo(ReasonCodes.NO_MATCHING_SUBSCRIBERS);
            publisher.send(Packets.pubrel(7));
            assertThat(publisher.expectAck(PacketType.PUBCOMP, 7).reasonCode()).isEqualTo(ReasonCodes.SUCCESS);
        }
    }

    @Test
    void pubcompSaysPacketIdentifierNotFoundForAnUnknownPubrel_MQTT_3_7_2_1() {
        try (RawMqttConnection client = Mqtt5Clients.connected(broker, "unknownrel")) {
            client.send(Packets.pubrel(42));

            assertThat(client.expectAck(PacketType.PUBCOMP, 42).reasonCode())
                    .isEqualTo(ReasonCodes.PACKET_IDENTIFIER_NOT_FOUND);
        }
    }

    @Test
    void subackGrantsQosPerFilterAndRefusesInvalidFiltersWith0x8F_MQTT_3_9_3_1_and_3_9_3_2() {
        try (RawMqttConnection client = Mqtt5Clients.connected(broker, "suback")) {
            String valid = TestNames.topic("suback");
            MqttPacket suback = client.subscribe(Packets.subscribe5(1)
                    .filter(valid + "/0", 0)
                    .filter("a/#/b", 1)
                    .filter(valid + "/+", 2)
                    .filter("a+", 1)
                    .filter(valid + "/#", 1));

            assertThat(suback.reasonCodes()).containsExactly(ReasonCodes.GRANTED_QOS_0,
                    ReasonCodes.TOPIC_FILTER_INVALID, ReasonCodes.GRANTED_QOS_2, ReasonCodes.TOPIC_FILTER_INVALID,
                    ReasonCodes.GRANTED_QOS_1);
        }
    }

    @Test
    void unsubackSaysPerFilterWhetherASubscriptionExisted_MQTT_3_11_3_1_and_3_11_3_2() {
        String topic = TestNames.topic("unsuback");
        try (RawMqttConnection client = Mqtt5Clients.connected(broker, "unsuback")) {
            client.subscribe(1, topic, 1);

            client.send(Packets.unsubscribe5(2, "never/subscribed", topic));

            MqttPacket unsuback = client.receive(PacketType.UNSUBACK);
            assertThat(unsuback.packetId()).isEqualTo(2);
            assertThat(unsuback.reasonCodes()).containsExactly(ReasonCodes.NO_SUBSCRIPTION_EXISTED,
                    ReasonCodes.SUCCESS);
        }
    }

    @Test
    void hiveMqClientSeesTheReasonCodesOfPubackSubackAndUnsuback() {
        String topic = TestNames.topic("hivecodes");
        Mqtt5BlockingClient client = Mqtt5Clients.hiveMq(broker, TestNames.clientId("hivecodes"));
        try {
            client.connect();

            Mqtt5PublishResult.Mqtt5Qos1Result unheard = (Mqtt5PublishResult.Mqtt5Qos1Result) client.publishWith()
                    .topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(Mqtt5Clients.utf8("x")).send();
            assertThat(unheard.getPubAck().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS);

            assertThat(client.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send().getReasonCodes())
                    .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
            assertThat(client.unsubscribeWith().topicFilter(topic).send().getReasonCodes())
                    .containsExactly(Mqtt5UnsubAckReasonCode.SUCCESS);
            assertThat(client.unsubscribeWith().topicFilter(topic).send().getReasonCodes())
                    .containsExactly(Mqtt5UnsubAckReasonCode.NO_SUBSCRIPTIONS_EXISTED);
        } finally {
            Mqtt5Clients.disconnectQuietly(client);
        }
    }
}
