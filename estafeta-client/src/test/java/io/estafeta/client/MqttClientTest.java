package io.estafeta.client;

import io.estafeta.testkit.MosquittoBroker;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static io.estafeta.client.TestClients.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The client against a real broker (Mosquitto): MQTT 3.1 and 3.1.1, and a first 5.0 round trip. Estafeta's
 * own broker depends on this module (its bridges use the client), so the client's tests cannot start it;
 * the bridge tests in estafeta-broker run the client against Estafeta.
 */
class MqttClientTest {

    private static final Duration WAIT = TestClients.WAIT;
    private static final long WAIT_SECONDS = TestClients.WAIT_SECONDS;

    @TempDir
    static Path directory;
    private static MosquittoBroker broker;
    private static ClientEventLoops eventLoops;
    @RegisterExtension
    final TestClients clients = new TestClients();

    @BeforeAll
    static void startBroker() throws IOException {
        broker = MosquittoBroker.start(directory);
        eventLoops = ClientEventLoops.create(2);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
        eventLoops.close();
    }


    static Stream<Arguments> versionsAndQos() {
        List<Arguments> cases = new ArrayList<>();
        for (MqttVersion version : List.of(MqttVersion.MQTT_3_1, MqttVersion.MQTT_3_1_1)) {
            for (MqttQoS qos : List.of(MqttQoS.AT_MOST_ONCE, MqttQoS.AT_LEAST_ONCE, MqttQoS.EXACTLY_ONCE)) {
                cases.add(Arguments.of(version, qos));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "MQTT {0}")
    @EnumSource(value = MqttVersion.class, names = {"MQTT_3_1", "MQTT_3_1_1"})
    void connectCompletesWithTheAcceptingConnAck(MqttVersion version) throws Exception {
        MqttClient client = clients.client(options().version(version));

        ConnAck connAck = client.connect().get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(connAck.isAccepted()).isTrue();
        assertThat(connAck.sessionPresent()).isFalse();
        assertThat(client.isConnected()).isTrue();
    }

    @ParameterizedTest(name = "MQTT {0}, QoS {1}")
    @MethodSource("versionsAndQos")
    void publishedMessageArrivesAtSubscriberWithItsQos(MqttVersion version, MqttQoS qos) throws Exception {
        String topic = "roundtrip/" + version + "/" + qos.value();
        ReceivedMessages received = new ReceivedMessages();
        MqttClient subscriber = clients.connected(options().version(version), received);
        SubAck subAck = subscriber.subscribe(topic, MqttQoS.EXACTLY_ONCE).get(WAIT_SECONDS, TimeUnit.SECONDS);
        MqttClient publisher = clients.connected(options().version(version), null);

        publisher.publish(topic, utf8("hola"), qos, false).get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(subAck.reasonCodes()).containsExactly(MqttQoS.EXACTLY_ONCE.value());
        await().atMost(WAIT).until(() -> received.size() == 1);
        ReceivedMessage message = received.all().get(0);
        assertThat(message.topic()).isEqualTo(topic);
        assertThat(new String(message.payload(), StandardCharsets.UTF_8)).isEqualTo("hola");
        assertThat(message.qos()).isEqualTo(qos);
        assertThat(message.retain()).isFalse();
    }

    @Test
    void manyQos1MessagesAllCompleteThroughASmallInflightWindow() throws Exception {
        ReceivedMessages received = new ReceivedMessages();
        MqttClient subscriber = clients.connected(options(), received);
        subscriber.subscribe("window/#", MqttQoS.AT_LEAST_ONCE).get(WAIT_SECONDS, TimeUnit.SECONDS);
        RecordingTrace trace = new RecordingTrace();
        MqttClient publisher = clients.connected(options().maxInflight(2).packetTrace(trace), null);
        int count = 200;

        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sent.add(publisher.publish("window/" + i, utf8("m" + i), MqttQoS.AT_LEAST_ONCE, false));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> received.size() == count);
        assertThat(received.all()).extracting(ReceivedMessage::topic)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, count).mapToObj(i -> "window/" + i)
                        .toList());
        assertThat(trace.receivedCount(MqttMessageType.PUBACK)).isEqualTo(count);
    }

    @Test
    void hundredsOfClientsShareTwoEventLoops() throws Exception {
        ReceivedMessages received = new ReceivedMessages();
        MqttClient subscriber = clients.connected(options(), received);
        subscriber.subscribe("crowd/#", MqttQoS.AT_LEAST_ONCE).get(WAIT_SECONDS, TimeUnit.SECONDS);
        int count = 300;
        List<MqttClient> crowd = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            crowd.add(clients.client(options()));
        }

        CompletableFuture.allOf(crowd.stream().map(MqttClient::connect).toArray(CompletableFuture[]::new))
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sent.add(crowd.get(i).publish("crowd/" + i, utf8("m"), MqttQoS.AT_LEAST_ONCE, false));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> received.size() == count);
    }

    @Test
    void retainedMessageIsDeliveredToALaterSubscriberWithRetainSet() throws Exception {
        MqttClient publisher = clients.connected(options(), null);
        publisher.publish("retained/state", utf8("on"), MqttQoS.AT_LEAST_ONCE, true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        ReceivedMessages received = new ReceivedMessages();
        MqttClient subscriber = clients.connected(options(), received);

        subscriber.subscribe("retained/#", MqttQoS.AT_LEAST_ONCE).get(WAIT_SECONDS, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> received.size() == 1);
        assertThat(received.all().get(0).retain()).isTrue();
        assertThat(received.all().get(0).payload()).isEqualTo(utf8("on"));
        publisher.publish("retained/state", new byte[0], MqttQoS.AT_LEAST_ONCE, true).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void unsubscribedFilterNoLongerReceives() throws Exception {
        ReceivedMessages received = new ReceivedMessages();
        MqttClient subscriber = clients.connected(options(), received);
        subscriber.subscribe("unsub/#", MqttQoS.AT_LEAST_ONCE).get(WAIT_SECONDS, TimeUnit.SECONDS);
        subscriber.subscribe("unsub-marker", MqttQoS.AT_LEAST_ONCE).get(WAIT_SECONDS, TimeUnit.SECONDS);
        MqttClient publisher = clients.connected(options(), null);

        subscriber.unsubscribe(List.of("unsub/#")).get(WAIT_SECONDS, TimeUnit.SECONDS);
        publisher.publish("unsub/a", utf8("dropped"), MqttQoS.AT_LEAST_ONCE, false).get(WAIT_SECONDS, TimeUnit.SECONDS);
        publisher.publish("unsub-marker", utf8("marker"), MqttQoS.AT_LEAST_ONCE, false)
                .get(WAIT_SECONDS, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> received.withPayload("marker") == 1);
        assertThat(received.withPayload("dropped")).isZero();
    }

    @Test
    void willIsPublishedWhenTheConnectionEndsWithoutDisconnect() throws Exception {
        ReceivedMessages received = new ReceivedMessages();
        MqttClient watcher = clients.connected(options(), received);
        watcher.subscribe("will/#", MqttQoS.AT_LEAST_ONCE).get(WAIT_SECONDS, TimeUnit.SECONDS);
        try (TcpProxy proxy = new TcpProxy(broker.port())) {
            clients.connected(options().port(proxy.port())
                    .will(new WillMessage("will/gone", utf8("bye"), MqttQoS.AT_LEAST_ONCE, false)), null);

            // [MQTT-3.1.2-8] the will is published when the network connection closes without DISCONNECT.
            proxy.cutConnections();

            await().atMost(WAIT).until(() -> received.withPayload("bye") == 1);
        }
    }

    @Test
    void willIsNotPublishedAfterDisconnect() throws Exception {
        ReceivedMessages received = new ReceivedMessages();
        MqttClient watcher = clients.connected(options(), received);
        watcher.subscribe("will2/#", MqttQoS.AT_LEAST_ONCE).get(WAIT_SECONDS, TimeUnit.SECONDS);
        MqttClient leaving = clients.connected(options()
                .will(new WillMessage("will2/gone", utf8("bye"), MqttQoS.AT_LEAST_ONCE, false)), null);

        // [MQTT-3.1.2-10] DISCONNECT removes the will.
        leaving.disconnect().get(WAIT_SECONDS, TimeUnit.SECONDS);
        MqttClient marker = clients.connected(options(), null);
        marker.publish("will2/marker", utf8("marker"), MqttQoS.AT_LEAST_ONCE, false).get(WAIT_SECONDS, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> received.withPayload("marker") == 1);
        assertThat(received.withPayload("bye")).isZero();
        assertThat(leaving.isConnected()).isFalse();
    }

    @Test
    void idleClientSendsPingreqAndGetsPingresp() throws Exception {
        // [MQTT-3.1.2-23] with nothing else to send, the client sends PINGREQ within the keep-alive.
        RecordingTrace trace = new RecordingTrace();
        MqttClient client = clients.connected(options().keepAlive(Duration.ofSeconds(1)).packetTrace(trace), null);

        await().atMost(WAIT).until(() -> trace.receivedCount(MqttMessageType.PINGRESP) >= 2);

        assertThat(trace.sentCount(MqttMessageType.PINGREQ)).isGreaterThanOrEqualTo(2);
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void missingPingrespClosesTheConnection() throws Exception {
        try (TcpProxy proxy = new TcpProxy(broker.port())) {
            AtomicReference<Throwable> lost = new AtomicReference<>();
            MqttClient client = clients.client(options().port(proxy.port()).keepAlive(Duration.ofSeconds(1)));
            client.setConnectionListener(new ConnectionListener() {
                @Override
                public void connectionLost(Throwable cause, boolean willReconnect) {
                    lost.set(cause);
                }
            });
            client.connect().get(WAIT_SECONDS, TimeUnit.SECONDS);

            proxy.dropServerBytes();

            await().atMost(WAIT).until(() -> lost.get() != null);
            assertThat(lost.get()).hasMessageContaining("PINGRESP");
            assertThat(client.isConnected()).isFalse();
        }
    }

    @Test
    void refusedConnectionFailsWithTheConnAckReasonCode(@TempDir Path own) throws IOException {
        try (MosquittoBroker closed = MosquittoBroker.start(own, List.of("allow_anonymous false"))) {
            MqttClient client = clients.client(options().port(closed.port()));

            assertThatThrownBy(() -> client.connect().get(WAIT_SECONDS, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(ConnectionRefusedException.class)
                    .extracting(cause -> ((ConnectionRefusedException) cause).connAck().reasonCode())
                    // 3.1.1 Connect Return Code 5: not authorized.
                    .isEqualTo(5);
            assertThat(client.isConnected()).isFalse();
        }
    }

    @Test
    void mqtt5PropertiesRoundTripThroughTheBroker() throws Exception {
        ReceivedMessages received = new ReceivedMessages();
        MqttClient subscriber = clients.connected(options().version(MqttVersion.MQTT_5), received);
        subscriber.subscribe("v5/roundtrip", MqttQoS.AT_LEAST_ONCE).get(WAIT_SECONDS, TimeUnit.SECONDS);
        MqttClient publisher = clients.connected(options().version(MqttVersion.MQTT_5), null);

        publisher.publish("v5/roundtrip", utf8("x"), MqttQoS.AT_LEAST_ONCE, false, MessageProperties.builder()
                .userProperty("k", "v").contentType("text/plain").correlationData(utf8("c1")).build())
                .get(WAIT_SECONDS, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> received.size() == 1);
        io.netty.handler.codec.mqtt.MqttProperties got = received.all().get(0).properties();
        assertThat(MessageProperties.userProperties(got))
                .containsExactly(new io.netty.handler.codec.mqtt.MqttProperties.StringPair("k", "v"));
        assertThat(MessageProperties.string(got, io.netty.handler.codec.mqtt.MqttProperties.CONTENT_TYPE))
                .contains("text/plain");
        assertThat(MessageProperties.binary(got, io.netty.handler.codec.mqtt.MqttProperties.CORRELATION_DATA))
                .hasValueSatisfying(data -> assertThat(data).isEqualTo(utf8("c1")));
    }

    @Test
    void connectToAClosedPortFails() throws Exception {
        int unused;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            unused = socket.getLocalPort();
        }
        MqttClient client = clients.client(options().port(unused));

        assertThatThrownBy(() -> client.connect().get(WAIT_SECONDS, TimeUnit.SECONDS))
                .cause().isInstanceOf(MqttClientException.class).hasMessageContaining("connection failed");
    }

    @Test
    void failedConnectionAttemptFailsOverToTheNextAddress() throws Exception {
        int unused;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            unused = socket.getLocalPort();
        }
        MqttClient client = clients.client(options().addresses(List.of(new ServerAddress(broker.host(), unused),
                new ServerAddress(broker.host(), broker.port()))));

        assertThatThrownBy(() -> client.connect().get(WAIT_SECONDS, TimeUnit.SECONDS))
                .cause().hasMessageContaining("connection failed");
        assertThat(client.currentAddress().port()).isEqualTo(broker.port());
        client.connect().get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void bridgeModeSetsTheTopBitOfTheProtocolLevelInConnect() throws Exception {
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            MqttClient client = clients.client(options().host("127.0.0.1").port(server.getLocalPort()).bridgeMode(true));
            client.connect();
            try (java.net.Socket accepted = server.accept()) {
                java.io.DataInputStream in = new java.io.DataInputStream(accepted.getInputStream());
                byte[] start = new byte[9];
                in.readFully(start);
                // Fixed header (0x10, one length byte), 0x00 0x04 "MQTT", then the level: 4 | 0x80.
                assertThat(start[0]).isEqualTo((byte) 0x10);
                assertThat(new String(start, 4, 4, StandardCharsets.UTF_8)).isEqualTo("MQTT");
                assertThat(start[8] & 0xFF).isEqualTo(0x84);
            }
        }
    }

    @Test
    void publishWhileNeverConnectedFails() {
        MqttClient client = clients.client(options());

        assertThatThrownBy(() -> client.publish("a", utf8("x"), MqttQoS.AT_MOST_ONCE, false)
                .get(WAIT_SECONDS, TimeUnit.SECONDS))
                .cause().hasMessage("not connected");
    }

    @Test
    void publishToAnInvalidTopicFailsWithoutSending() {
        MqttClient client = clients.client(options());

        assertThatThrownBy(() -> client.publish("a/#", utf8("x"), MqttQoS.AT_MOST_ONCE, false).join())
                .cause().isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void qos1MessageInFlightIsResentWithDupAfterReconnectAndCompletes() throws Exception {
        ReceivedMessages received = new ReceivedMessages();
        MqttClient subscriber = clients.connected(options(), received);
        subscriber.subscribe("resume1/#", MqttQoS.AT_LEAST_ONCE).get(WAIT_SECONDS, TimeUnit.SECONDS);
        try (TcpProxy proxy = new TcpProxy(broker.port())) {
            RecordingTrace trace = new RecordingTrace();
            MqttClient publisher = clients.connected(persistentReconnecting(proxy, trace), null);
            proxy.dropServerBytes();

            CompletableFuture<Void> sent = publisher.publish("resume1/a", utf8("once"), MqttQoS.AT_LEAST_ONCE, false);
            await().atMost(WAIT).until(() -> received.withPayload("once") >= 1);
            assertThat(sent).isNotDone();
            proxy.cutConnections();

            // [MQTT-4.4.0-1] on reconnect with clean session 0 the PUBLISH is sent again, DUP set, same id.
            sent.get(WAIT_SECONDS, TimeUnit.SECONDS);
            List<RecordingTrace.Packet> publishes = trace.sent().stream()
                    .filter(packet -> packet.type() == MqttMessageType.PUBLISH).toList();
            assertThat(publishes).hasSize(2);
            assertThat(publishes.get(0).dup()).isFalse();
            assertThat(publishes.get(1).dup()).isTrue();
            assertThat(publishes.get(1).packetId()).isEqualTo(publishes.get(0).packetId());
            assertThat(proxy.connectionsAccepted()).isEqualTo(2);
        }
    }

    @Test
    void qos2MessageInFlightIsResentAfterReconnectAndDeliveredOnce() throws Exception {
        ReceivedMessages received = new ReceivedMessages();
        MqttClient subscriber = clients.connected(options(), received);
        subscriber.subscribe("resume2/#", MqttQoS.EXACTLY_ONCE).get(WAIT_SECONDS, TimeUnit.SECONDS);
        try (TcpProxy proxy = new TcpProxy(broker.port())) {
            RecordingTrace trace = new RecordingTrace();
            MqttClient publisher = clients.connected(persistentReconnecting(proxy, trace), null);
            proxy.dropServerBytes();

            CompletableFuture<Void> sent = publisher.publish("resume2/a", utf8("exactly"), MqttQoS.EXACTLY_ONCE, false);
            // Mosquitto routes a QoS 2 message at PUBREL (method A), so wait for the PUBLISH to be sent.
            await().atMost(WAIT).until(() -> trace.sent().stream()
                    .anyMatch(packet -> packet.type() == MqttMessageType.PUBLISH));
            proxy.cutConnections();
            sent.get(WAIT_SECONDS, TimeUnit.SECONDS);
            publisher.publish("resume2/marker", utf8("marker"), MqttQoS.EXACTLY_ONCE, false)
                    .get(WAIT_SECONDS, TimeUnit.SECONDS);

            // The server remembered the packet id ([MQTT-4.3.3-2]): the DUP PUBLISH was answered, not routed again.
            await().atMost(WAIT).until(() -> received.withPayload("marker") == 1);
            assertThat(received.withPayload("exactly")).isEqualTo(1);
            assertThat(trace.sent()).filteredOn(packet -> packet.type() == MqttMessageType.PUBLISH)
                    .extracting(RecordingTrace.Packet::dup).containsExactly(false, true, false);
        }
    }

    @Test
    void subscriptionOfAPersistentSessionSurvivesReconnect() throws Exception {
        ReceivedMessages received = new ReceivedMessages();
        try (TcpProxy proxy = new TcpProxy(broker.port())) {
            AtomicInteger connects = new AtomicInteger();
            MqttClient subscriber = clients.client(persistentReconnecting(proxy, null));
            subscriber.setMessageListener(received);
            subscriber.setConnectionListener(new ConnectionListener() {
                @Override
                public void connected(ConnAck connAck) {
                    connects.incrementAndGet();
                }
            });
            subscriber.connect().get(WAIT_SECONDS, TimeUnit.SECONDS);
            subscriber.subscribe("persist/#", MqttQoS.AT_LEAST_ONCE).get(WAIT_SECONDS, TimeUnit.SECONDS);

            proxy.cutConnections();
            await().atMost(WAIT).until(() -> connects.get() == 2);
            clients.connected(options(), null).publish("persist/a", utf8("kept"), MqttQoS.AT_LEAST_ONCE, false)
                    .get(WAIT_SECONDS, TimeUnit.SECONDS);

            await().atMost(WAIT).until(() -> received.withPayload("kept") == 1);
        }
    }

    @Test
    void messagesPublishedWhileReconnectingAreSentAfterwards() throws Exception {
        ReceivedMessages received = new ReceivedMessages();
        MqttClient subscriber = clients.connected(options(), received);
        subscriber.subscribe("offline/#", MqttQoS.AT_LEAST_ONCE).get(WAIT_SECONDS, TimeUnit.SECONDS);
        try (TcpProxy proxy = new TcpProxy(broker.port())) {
            AtomicReference<Boolean> willReconnect = new AtomicReference<>();
            MqttClient publisher = clients.client(options().port(proxy.port())
                    .reconnect(ReconnectPolicy.exponentialBackoff(Duration.ofMillis(200), Duration.ofSeconds(1))));
            publisher.setConnectionListener(new ConnectionListener() {
                @Override
                public void connectionLost(Throwable cause, boolean reconnect) {
                    willReconnect.set(reconnect);
                }
            });
            publisher.connect().get(WAIT_SECONDS, TimeUnit.SECONDS);

            proxy.cutConnections();
            await().atMost(WAIT).until(() -> willReconnect.get() != null);
            CompletableFuture<Void> sent = publisher.publish("offline/a", utf8("later"), MqttQoS.AT_LEAST_ONCE, false);

            sent.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(willReconnect.get()).isTrue();
            await().atMost(WAIT).until(() -> received.withPayload("later") == 1);
        }
    }

    @Test
    void disconnectStopsAutomaticReconnect() throws Exception {
        try (TcpProxy proxy = new TcpProxy(broker.port())) {
            MqttClient client = clients.connected(options().port(proxy.port())
                    .reconnect(ReconnectPolicy.exponentialBackoff(Duration.ofMillis(50), Duration.ofMillis(50))), null);

            client.disconnect().get(WAIT_SECONDS, TimeUnit.SECONDS);

            assertThat(client.isConnected()).isFalse();
            assertThat(client.publish("a", utf8("x"), MqttQoS.AT_MOST_ONCE, false))
                    .failsWithin(WAIT).withThrowableThat().withMessageContaining("not connected");
            assertThat(proxy.connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void closedClientRejectsEveryOperation() {
        MqttClient client = clients.client(options());
        client.close();

        assertThat(client.connect()).failsWithin(WAIT).withThrowableThat().withMessageContaining("closed");
        assertThat(client.publish("a", utf8("x"), MqttQoS.AT_MOST_ONCE, false))
                .failsWithin(WAIT).withThrowableThat().withMessageContaining("closed");
    }

    // ---- helpers ----

    private MqttClientOptions.Builder persistentReconnecting(TcpProxy proxy, RecordingTrace trace) {
        return options().port(proxy.port()).cleanStart(false).packetTrace(trace)
                .reconnect(ReconnectPolicy.exponentialBackoff(Duration.ofMillis(50), Duration.ofMillis(400)));
    }

    private MqttClientOptions.Builder options() {
        return TestClients.options(broker, eventLoops);
    }
}
