package io.estafeta.broker.conformance5;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient.Mqtt5Publishes;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.estafeta.broker.testsupport.MqttPacket;
import io.estafeta.broker.testsupport.PacketProperties;
import io.estafeta.broker.testsupport.Packets;
import io.estafeta.broker.testsupport.Paho5TestClient;
import io.estafeta.broker.testsupport.PropertyId;
import io.estafeta.broker.testsupport.RawMqttConnection;
import io.estafeta.broker.testsupport.TestBroker;
import io.estafeta.broker.testsupport.TestNames;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request / response through the broker (4.10): a requester names a Response Topic and Correlation
 * Data, a responder answers on that topic with the same Correlation Data, and the server forwards both
 * unaltered ([MQTT-3.3.2-15], [MQTT-3.3.2-16]).
 */
class RequestResponseTest {

    private static final long RECEIVE_TIMEOUT_SECONDS = 10;
    private static final byte[] CORRELATION = {0x13, 0x37, 0x00, (byte) 0x80};

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
    void hiveMqRequesterGetsTheAnswerOfAPahoResponder() throws InterruptedException {
        String requestTopic = TestNames.topic("service");
        Mqtt5BlockingClient requester = Mqtt5Clients.hiveMq(broker, TestNames.clientId("requester"));
        try (Paho5TestClient responder = Paho5TestClient.connect(broker, TestNames.clientId("responder"));
             Mqtt5Publishes responses = requester.publishes(MqttGlobalPublishFilter.ALL)) {
            responder.subscribe(new MqttSubscription(requestTopic, 1));
            // 4.10.2: Response Information as the basis of a Response Topic the requester can own.
            Mqtt5ConnAck connack = requester.connectWith().restrictions().requestResponseInformation(true)
                    .applyRestrictions().send();
            String responseTopic = connack.getResponseInformation().orElseThrow() + "/answers";
            requester.subscribeWith().topicFilter(responseTopic).qos(MqttQos.AT_LEAST_ONCE).send();

            requester.publishWith().topic(requestTopic).qos(MqttQos.AT_LEAST_ONCE).payload(Mqtt5Clients.utf8("2+2?"))
                    .responseTopic(responseTopic).correlationData(CORRELATION).send();

            Paho5TestClient.Received request = responder.awaitMessages(1).getFirst();
            assertThat(request.properties().getResponseTopic()).isEqualTo(responseTopic);
            MqttMessage answer = new MqttMessage(Mqtt5Clients.utf8("4"));
            answer.setQos(1);
            MqttProperties answerProperties = new MqttProperties();
            answerProperties.setCorrelationData(request.properties().getCorrelationData());
            answer.setProperties(answerProperties);
            responder.publish(request.properties().getResponseTopic(), answer);

            Mqtt5Publish response = responses.receive(RECEIVE_TIMEOUT_SECONDS, TimeUnit.SECONDS).orElseThrow();
            assertThat(response.getTopic().toString()).isEqualTo(responseTopic);
            assertThat(Mqtt5Clients.utf8(response.getPayloadAsBytes())).isEqualTo("4");
            assertThat(response.getCorrelationData().map(RequestResponseTest::bytes)).hasValueSatisfying(
                    data -> assertThat(data).containsExactly(CORRELATION));
            assertThat(response.getResponseTopic()).as("a response is not itself a request").isEmpty();
        } finally {
            Mqtt5Clients.disconnectQuietly(requester);
        }
    }

    @Test
    void rawRequesterAndResponderExchangeCorrelationDataUnaltered_MQTT_3_3_2_15_and_3_3_2_16() {
        String requestTopic = TestNames.topic("rawsvc");
        String responseTopic = TestNames.topic("rawreply");
        try (RawMqttConnection requester = Mqtt5Clients.connected(broker, "rawreq");
             RawMqttConnection responder = Mqtt5Clients.connected(broker, "rawresp")) {
            responder.subscribe(1, requestTopic, 1);
            requester.subscribe(1, responseTopic, 1);

            requester.send(Packets.publish5(requestTopic).qos(1).packetId(1).payload("ping")
                    .properties(Packets.properties()
                            .add(PropertyId.RESPONSE_TOPIC, responseTopic)
                            .add(PropertyId.CORRELATION_DATA, CORRELATION))
                    .build());
            PacketProperties request = responder.receivePublishAndAcknowledge().properties();
            responder.send(Packets.publish5(request.string(PropertyId.RESPONSE_TOPIC).orElseThrow()).qos(1).packetId(1)
                    .payload("pong")
                    .properties(Packets.properties()
                            .add(PropertyId.CORRELATION_DATA, request.binary(PropertyId.CORRELATION_DATA).orElseThrow()))
                    .build());

            MqttPacket response = receivePublishSkippingAcks(requester);
            assertThat(response.payloadAsString()).isEqualTo("pong");
            assertThat(response.properties().binary(PropertyId.CORRELATION_DATA)).hasValueSatisfying(
                    data -> assertThat(data).containsExactly(CORRELATION));
        }
    }

    /** The requester's PUBACK for its own request may come first. */
    private static MqttPacket receivePublishSkippingAcks(RawMqttConnection client) {
        while (true) {
            MqttPacket packet = client.receive();
            switch (packet.type()) {
                case PUBACK -> {
                    // the acknowledgement of the request
                }
                case PUBLISH -> {
                    client.send(Packets.puback(packet.packetId()));
                    return packet;
                }
                default -> throw new AssertionError("unexpected " + packet);
            }
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
