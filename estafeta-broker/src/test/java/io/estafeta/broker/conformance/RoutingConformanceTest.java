package io.estafeta.broker.conformance;

import io.estafeta.broker.testsupport.MqttPacket;
import io.estafeta.broker.testsupport.PacketType;
import io.estafeta.broker.testsupport.PahoAsyncPublisher;
import io.estafeta.broker.testsupport.PahoTestClient;
import io.estafeta.broker.testsupport.RawMqttConnection;
import io.estafeta.broker.testsupport.ReceivedMessage;
import io.estafeta.broker.testsupport.TestBroker;
import io.estafeta.broker.testsupport.TestNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Which subscribers get a message and how (MQTT 3.1.1 sections 3.3.5, 3.8.4, 4.6, 4.7). */
class RoutingConformanceTest {

    private static TestBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @ParameterizedTest(name = "published at QoS {0}, granted QoS {1}: delivered at QoS {2}")
    @CsvSource({
            "0, 0, 0", "0, 1, 0", "0, 2, 0",
            "1, 0, 0", "1, 1, 1", "1, 2, 1",
            "2, 0, 0", "2, 1, 1", "2, 2, 2"})
    void messageIsDeliveredAtTheLowerOfPublishedAndGrantedQos_MQTT_3_8_4_6(int published, int granted,
                                                                           int delivered) {
        String topic = TestNames.topic("minqos");
        try (RawMqttConnection subscriber = connected("minsub");
             RawMqttConnection publisher = connected("minpub")) {
            assertThat(subscriber.subscribe(1, topic, granted).returnCodes()).containsExactly(granted);

            publish(publisher, topic, "payload", published);

            MqttPacket publish = subscriber.receivePublishAndAcknowledge();
            assertThat(publish.qos()).isEqualTo(delivered);
            assertThat(publish.payloadAsString()).isEqualTo("payload");
        }
    }

    @Test
    void overlappingSubscriptionsDeliverOneCopyAtTheHighestGrantedQos_MQTT_3_3_5_1() {
        String prefix = TestNames.topic("overlap");
        String topic = prefix + "/b";
        try (RawMqttConnection subscriber = connected("overlapsub");
             RawMqttConnection publisher = connected("overlappub")) {
            subscriber.subscribe(1, prefix + "/#", 1);
            subscriber.subscribe(2, prefix + "/+", 2);

            publisher.publishQos2(topic, "m1", 1);
            publisher.publishQos0(topic, "m2");

            List<MqttPacket> received = new ArrayList<>();
            do {
                received.add(subscriber.receivePublishAndAcknowledge());
            } while (!received.getLast().payloadAsString().equals("m2"));
            assertThat(received).extracting(MqttPacket::payloadAsString).containsExactly("m1", "m2");
            assertThat(received.getFirst().qos()).isEqualTo(2);
        }
    }

    @Test
    void messagesFromOnePublisherOnOneTopicArriveInOrder_MQTT_4_6_0_6() {
        String topic = TestNames.topic("order");
        int count = 100;
        try (PahoTestClient subscriber = PahoTestClient.connect(broker, TestNames.clientId("ordersub"), true);
             PahoAsyncPublisher publisher = PahoAsyncPublisher.connect(broker, TestNames.clientId("orderpub"),
                     count)) {
            subscriber.subscribe(topic, 1);

            // Fired without waiting for acknowledgements, so many are in flight at once.
            for (int i = 0; i < count; i++) {
                publisher.publish(topic, Integer.toString(i), 1);
            }

            subscriber.received().awaitCount(count);
            assertThat(subscriber.received().payloads())
                    .containsExactlyElementsOf(IntStream.range(0, count).mapToObj(Integer::toString).toList());
        }
    }

    @ParameterizedTest(name = "filter \"{0}\" and topic \"{1}\": match = {2}")
    @CsvSource(delimiter = '|', value = {
            "W/a/+/c   | W/a/b/c   | true  | W/a/x/c",
            "W/a/+/c   | W/a/b/d/c | false | W/a/x/c",
            "W/a/#     | W/a       | true  | W/a/x",
            "W/a/#     | W/a/b/c   | true  | W/a/x",
            "W/a/#     | W/ab      | false | W/a/x",
            "W/+       | W/a/b     | false | W/x",
            "W/+/+     | W//b      | true  | W/x/y",
            "W/a/b     | W/a/b/    | false | W/a/b",
            "W/a/+     | W/a/      | true  | W/a/x",
            "W/A/b     | W/a/b     | false | W/A/b",
            "#         | $SYS/test | false | W/marker",
            "#         | $foo/bar  | false | W/marker",
            "+/bar     | $foo/bar  | false | W/bar",
            "+/+       | $foo/bar  | false | W/bar",
            "$foo/#    | $foo/bar  | true  | $foo/x",
            "$foo/+    | $foo/bar  | true  | $foo/x"})
    void topicFilterMatchesTopicNamesAsTheSpecificationSays_MQTT_4_7_1_and_4_7_2_1(String filterPattern,
            String topicPattern, boolean matches, String markerPattern) {
        // "W" is replaced by a level unique to this case, so cases cannot see each other's messages.
        String level = TestNames.topic("w").replace('/', '-');
        String filter = filterPattern.replace("W", level);
        String topic = topicPattern.replace("W", level);
        String marker = markerPattern.replace("W", level);
        try (RawMqttConnection subscriber = connected("wildsub");
             RawMqttConnection publisher = connected("wildpub")) {
            subscriber.subscribe(1, filter, 0);

            // One publisher connection: the server handles its packets in order, so a match would arrive
            // before the marker, which always matches.
            publisher.publishQos0(topic, "candidate");
            publisher.publishQos0(marker, "marker");

            MqttPacket first = subscriber.receive(PacketType.PUBLISH);
            if (matches) {
                assertThat(first.payloadAsString()).isEqualTo("candidate");
                assertThat(first.topic()).isEqualTo(topic);
                assertThat(subscriber.receive(PacketType.PUBLISH).payloadAsString()).isEqualTo("marker");
            } else {
                assertThat(first.payloadAsString()).isEqualTo("marker");
            }
        }
    }

    @Test
    void publisherReceivesItsOwnMessageWhenSubscribed() {
        String topic = TestNames.topic("self");
        try (PahoTestClient client = PahoTestClient.connect(broker, TestNames.clientId("self"), true)) {
            client.subscribe(topic, 1);

            client.publish(topic, "echo", 1, false);

            ReceivedMessage message = client.received().awaitCount(1).getFirst();
            assertThat(message.topic()).isEqualTo(topic);
            assertThat(message.payload()).isEqualTo("echo");
        }
    }

    @Test
    void everyMatchingSubscriberGetsTheMessage() {
        String topic = TestNames.topic("fanout");
        try (PahoTestClient exact = PahoTestClient.connect(broker, TestNames.clientId("fanexact"), true);
             PahoTestClient wildcard = PahoTestClient.connect(broker, TestNames.clientId("fanwild"), true);
             PahoTestClient other = PahoTestClient.connect(broker, TestNames.clientId("fanother"), true);
             PahoTestClient publisher = PahoTestClient.connect(broker, TestNames.clientId("fanpub"), true)) {
            exact.subscribe(topic, 1);
            wildcard.subscribe(topic.substring(0, topic.indexOf('/')) + "/+", 1);
            other.subscribe(topic + "/other", 1);

            publisher.publish(topic, "to all", 1, false);
            publisher.publish(topic + "/other", "only other", 1, false);

            assertThat(exact.received().awaitCount(1)).extracting(ReceivedMessage::payload).containsExactly("to all");
            assertThat(wildcard.received().awaitCount(1)).extracting(ReceivedMessage::payload)
                    .containsExactly("to all");
            assertThat(other.received().awaitCount(1)).extracting(ReceivedMessage::payload)
                    .containsExactly("only other");
        }
    }

    private static void publish(RawMqttConnection publisher, String topic, String payload, int qos) {
        switch (qos) {
            case 0 -> publisher.publishQos0(topic, payload);
            case 1 -> publisher.publishQos1(topic, payload, 1);
            default -> publisher.publishQos2(topic, payload, 1);
        }
    }

    private static RawMqttConnection connected(String hint) {
        RawMqttConnection client = RawMqttConnection.open(broker);
        client.connectAccepted(TestNames.clientId(hint), true);
        return client;
    }
}
