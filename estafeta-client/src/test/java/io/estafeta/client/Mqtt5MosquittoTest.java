package io.estafeta.client;

import io.estafeta.testkit.MosquittoBroker;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.StringPair;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption.RetainedHandlingPolicy;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.estafeta.client.TestClients.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The client speaking MQTT 5 to Mosquitto, the reference 5.0 broker. */
class Mqtt5MosquittoTest {

    private static final Duration WAIT = TestClients.WAIT;
    private static final long WAIT_SECONDS = TestClients.WAIT_SECONDS;
    private static final long NEVER_EXPIRES = 0xFFFFFFFFL;

    @TempDir
    static Path directory;
    private static MosquittoBroker mosquitto;
    private static ClientEventLoops eventLoops;
    @RegisterExtension
    final TestClients clients = new TestClients();

    @BeforeAll
    static void startMosquitto() throws Exception {
        mosquitto = MosquittoBroker.start(directory);
        eventLoops = ClientEventLoops.create(1);
    }

    @AfterAll
    static void stopMosquitto() {
        if (mosquitto != null) {
            mosquitto.close();
        }
        if (eventLoops != null) {
            eventLoops.close();
        }
    }


    @ParameterizedTest
    @EnumSource(value = MqttQoS.class, names = {"AT_MOST_ONCE", "AT_LEAST_ONCE", "EXACTLY_ONCE"})
    void publishedMessageArrivesWithItsQos(MqttQoS qos) throws Exception {
        String topic = "v5/roundtrip/" + qos.value();
        ReceivedMessages received = new ReceivedMessages();
        MqttClient subscriber = clients.connected(options(), received);
        SubAck subAck = subscriber.subscribe(topic, MqttQoS.EXACTLY_ONCE).get(WAIT_SECONDS, TimeUnit.SECONDS);

        clients.connected(options(), null).publish(topic, utf8("hola"), qos, false).get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(subAck.reasonCodes()).containsExactly(MqttQoS.EXACTLY_ONCE.value());
        await().atMost(WAIT).until(() -> received.size() == 1);
        assertThat(received.all().get(0).qos()).isEqualTo(qos);
        assertThat(received.all().get(0).payload()).isEqualTo(utf8("hola"));
    }

    @Test
    void publishPropertiesReachTheSubscriber() throws Exception {
        ReceivedMessages received = new ReceivedMessages();
        MqttClient subscriber = clients.connected(options(), received);
        subscriber.subscribe("v5/props", MqttQoS.AT_LEAST_ONCE).get(WAIT_SECONDS, TimeUnit.SECONDS);
        MqttProperties properties = MessageProperties.builder()
                .userProperty("k", "v1")
                .userProperty("k", "v2")
                .userProperty("other", "x")
                .contentType("text/plain")
                .responseTopic("v5/replies")
                .correlationData(utf8("corr-42"))
                .messageExpiryInterval(60)
                .payloadFormatIndicator(1)
                .build();

        clients.connected(options(), null).publish("v5/props", utf8("with properties"), MqttQoS.AT_LEAST_ONCE, false,
                properties).get(WAIT_SECONDS, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> received.size() == 1);
        MqttProperties got = received.all().get(0).properties();
        // [MQTT-3.3.2-17] user properties are forwarded unaltered and in order.
        assertThat(MessageProperties.userProperties(got)).containsExactly(
                new StringPair("k", "v1"), new StringPair("k", "v2"), new StringPair("other", "x"));
        assertThat(MessageProperties.string(got, MqttProperties.CONTENT_TYPE)).contains("text/plain");
        assertThat(MessageProperties.string(got, MqttProperties.RESPONSE_TOPIC)).contains("v5/replies");
        assertThat(MessageProperties.binary(got, MqttProperties.CORRELATION_DATA)).hasValueSatisfying(
                data -> assertThat(data).isEqualTo(utf8("corr-42")));
        assertThat(MessageProperties.integer(got, MqttProperties.PAYLOAD_FORMAT_INDICATOR)).hasValue(1);
        // [MQTT-3.3.2-6] the server forwards the expiry minus the time the message waited.
        assertThat(MessageProperties.integer(got, MqttProperties.PUBLICATION_EXPIRY_INTERVAL).orElseThrow())
                .isBetween(1, 60);
    }

    @Test
    void qos1PublishWithoutSubscribersCompletesOnItsPubAck() throws Exception {
        RecordingTrace trace = new RecordingTrace();
        MqttClient publisher = clients.connected(options().packetTrace(trace), null);

        // Mosquitto answers 0x10 No matching subscribers: a success code, so the publish succeeds.
        publisher.publish("v5/nobody/listens", utf8("x"), MqttQoS.AT_LEAST_ONCE, false)
                .get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(trace.receivedCount(io.netty.handler.codec.mqtt.MqttMessageType.PUBACK)).isEqualTo(1);
    }

    @Test
    void emptyClientIdGetsAnAssignedClientIdentifier() throws Exception {
        MqttClient client = clients.client(options().clientId(""));

        ConnAck connAck = client.connect().get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(connAck.assignedClientIdentifier()).isPresent();
    }

    @Test
    void persistentSessionResumesWithQueuedMessages() throws Exception {
        MqttClientOptions.Builder persistent = options().cleanStart(false)
                .connectProperties(MessageProperties.builder().sessionExpiryInterval(NEVER_EXPIRES).build());
        MqttClient first = clients.connected(persistent, null);
        first.subscribe("v5/queued", MqttQoS.AT_LEAST_ONCE).get(WAIT_SECONDS, TimeUnit.SECONDS);
        first.disconnect().get(WAIT_SECONDS, TimeUnit.SECONDS);
        clients.connected(options(), null).publish("v5/queued", utf8("while away"), MqttQoS.AT_LEAST_ONCE, false)
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
        ReceivedMessages received = new ReceivedMessages();
        first.setMessageListener(received);

        ConnAck connAck = first.connect().get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(connAck.sessionPresent()).isTrue();
        await().atMost(WAIT).until(() -> received.withPayload("while away") == 1);
    }

    @Test
    void noLocalSubscriptionDoesNotReceiveItsOwnMessages() throws Exception {
        ReceivedMessages received = new ReceivedMessages();
        MqttClient client = clients.connected(options(), received);
        client.subscribe(List.of(new Subscription("v5/nolocal", MqttQoS.AT_LEAST_ONCE, true, false,
                RetainedHandlingPolicy.SEND_AT_SUBSCRIBE))).get(WAIT_SECONDS, TimeUnit.SECONDS);

        client.publish("v5/nolocal", utf8("own"), MqttQoS.AT_LEAST_ONCE, false).get(WAIT_SECONDS, TimeUnit.SECONDS);
        clients.connected(options(), null).publish("v5/nolocal", utf8("other"), MqttQoS.AT_LEAST_ONCE, false)
                .get(WAIT_SECONDS, TimeUnit.SECONDS);

        // [MQTT-3.8.3-3] with No Local the server does not forward a client its own messages.
        await().atMost(WAIT).until(() -> received.withPayload("other") == 1);
        assertThat(received.withPayload("own")).isZero();
    }

    @Test
    void willPropertiesArriveWithTheWill() throws Exception {
        ReceivedMessages received = new ReceivedMessages();
        MqttClient watcher = clients.connected(options(), received);
        watcher.subscribe("v5/will", MqttQoS.AT_LEAST_ONCE).get(WAIT_SECONDS, TimeUnit.SECONDS);
        try (TcpProxy proxy = new TcpProxy(mosquitto.port())) {
            MqttProperties willProperties = MessageProperties.builder().userProperty("why", "lost")
                    .contentType("text/plain").build();
            clients.connected(options().port(proxy.port()).will(
                    new WillMessage("v5/will", utf8("gone"), MqttQoS.AT_LEAST_ONCE, false, willProperties)), null);

            proxy.cutConnections();

            await().atMost(WAIT).until(() -> received.withPayload("gone") == 1);
            MqttProperties got = received.all().get(0).properties();
            assertThat(MessageProperties.userProperties(got)).containsExactly(new StringPair("why", "lost"));
            assertThat(MessageProperties.string(got, MqttProperties.CONTENT_TYPE)).contains("text/plain");
        }
    }

    @Test
    void unsubAckCarriesOneReasonCodePerFilter() throws Exception {
        MqttClient client = clients.connected(options(), null);
        client.subscribe("v5/unsub/a", MqttQoS.AT_MOST_ONCE).get(WAIT_SECONDS, TimeUnit.SECONDS);

        UnsubAck unsubAck = client.unsubscribe(List.of("v5/unsub/a", "v5/unsub/never"))
                .get(WAIT_SECONDS, TimeUnit.SECONDS);

        // 0x00 Success, 0x11 No subscription existed.
        assertThat(unsubAck.reasonCodes()).containsExactly(0x00, 0x11);
    }

    @Test
    void refusedConnectionReportsTheMqtt5ReasonCode(@TempDir Path own) throws Exception {
        try (MosquittoBroker closed = MosquittoBroker.start(own, List.of("allow_anonymous false"))) {
            MqttClient client = clients.client(options().port(closed.port()));

            assertThatThrownBy(() -> client.connect().get(WAIT_SECONDS, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(ConnectionRefusedException.class)
                    .extracting(cause -> ((ConnectionRefusedException) cause).connAck().reasonCode())
                    // 0x87 Not authorized.
                    .isEqualTo(0x87);
        }
    }

    @Test
    void serverKeepAliveIsReported(@TempDir Path own) throws Exception {
        try (MosquittoBroker limited = MosquittoBroker.start(own, List.of("allow_anonymous true", "max_keepalive 10"))) {
            MqttClient client = clients.client(options().port(limited.port()).keepAlive(Duration.ofSeconds(60)));

            ConnAck connAck = client.connect().get(WAIT_SECONDS, TimeUnit.SECONDS);

            // [MQTT-3.2.2-21] the client uses the Server Keep Alive instead of its own.
            assertThat(connAck.serverKeepAlive()).hasValue(10);
        }
    }

    private MqttClientOptions.Builder options() {
        return TestClients.options(mosquitto, eventLoops).version(MqttVersion.MQTT_5);
    }
}
