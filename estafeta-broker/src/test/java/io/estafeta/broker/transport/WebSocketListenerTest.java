package io.estafeta.broker.transport;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.estafeta.broker.Broker;
import io.estafeta.broker.auth.PasswordFile;
import io.estafeta.broker.auth.PasswordHash;
import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.config.ListenerConfig;
import io.estafeta.broker.config.TlsConfig;
import io.estafeta.broker.testsupport.Packets;
import io.estafeta.broker.testsupport.TestNames;
import io.estafeta.testkit.TestCertificates;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * MQTT over WebSocket (MQTT 3.1.1 and 5.0, chapter 6) and secure WebSocket, with real clients: the HiveMQ
 * client's WebSocket transport, the JDK's WebSocket client for frame layouts, and raw sockets for refused
 * upgrades. A TCP listener on the same broker shows that both transports share one broker.
 */
class WebSocketListenerTest {

    private static final String LOCAL_NAMES = "DNS:localhost,IP:127.0.0.1";
    private static final String HOST = "127.0.0.1";
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final long RECEIVE_SECONDS = 10;
    private static final byte[] CONNACK_ACCEPTED = {0x20, 0x02, 0x00, 0x00};
    private static final byte[] SUBACK_QOS0 = {(byte) 0x90, 0x03, 0x00, 0x01, 0x00};

    @TempDir
    static Path directory;
    private static TestCertificates certificates;
    private static Broker broker;
    private static int tcpPort;
    private static int wsPort;
    private static int wssPort;

    private final List<AutoCloseable> closeAfterTest = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        certificates = TestCertificates.authority(directory);
        Path[] server = certificates.issue("server", LOCAL_NAMES);
        broker = Broker.start(BrokerConfig.builder()
                .listeners(List.of(new ListenerConfig(0, HOST), ListenerConfig.websockets(0, HOST),
                        ListenerConfig.websockets(0, HOST).withTls(TlsConfig.of(server[0], server[1]))))
                .allowAnonymous(true)
                .dataDirectory(directory)
                .sysInterval(Duration.ZERO)
                .build());
        tcpPort = broker.boundAddresses().get(0).getPort();
        wsPort = broker.boundAddresses().get(1).getPort();
        wssPort = broker.boundAddresses().get(2).getPort();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable closeable : closeAfterTest) {
            closeable.close();
        }
    }

    private org.eclipse.paho.client.mqttv3.MqttClient tcpClient(String clientId) throws Exception {
        org.eclipse.paho.client.mqttv3.MqttClient client = new org.eclipse.paho.client.mqttv3.MqttClient(
                "tcp://" + HOST + ":" + tcpPort, clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setAutomaticReconnect(false);
        client.connect(options);
        closeAfterTest.add(() -> {
            if (client.isConnected()) {
                client.disconnect(0);
            }
            client.close(true);
        });
        return client;
    }

    private static TrustManagerFactory trustingTestCa() throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(certificates.caFile())) {
            trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        return factory;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void mqtt5ClientOverWebSocketReceivesWhatATcpClientPublishes() throws Exception {
        String topic = TestNames.topic("ws5");
        Mqtt5BlockingClient subscriber = MqttClient.builder().useMqttVersion5()
                .identifier(TestNames.clientId("ws5sub")).serverHost(HOST).serverPort(wsPort)
                .webSocketConfig().serverPath("mqtt").applyWebSocketConfig()
                .buildBlocking();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber.connect();
            subscriber.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();

            tcpClient(TestNames.clientId("tcppub")).publish(topic, bytes("tcp to ws"), 1, false);

            Mqtt5Publish received = publishes.receive(RECEIVE_SECONDS, TimeUnit.SECONDS).orElseThrow();
            assertThat(new String(received.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("tcp to ws");
            assertThat(received.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
        } finally {
            subscriber.disconnect();
        }
    }

    @Test
    void mqtt311ClientOverSecureWebSocketPublishesToATcpSubscriber() throws Exception {
        String topic = TestNames.topic("wss3");
        List<String> received = new CopyOnWriteArrayList<>();
        tcpClient(TestNames.clientId("tcpsub")).subscribe(topic, 1,
                (t, message) -> received.add(new String(message.getPayload(), StandardCharsets.UTF_8)));
        Mqtt3BlockingClient publisher = MqttClient.builder().useMqttVersion3()
                .identifier(TestNames.clientId("wss3pub")).serverHost("localhost").serverPort(wssPort)
                .sslConfig().trustManagerFactory(trustingTestCa()).applySslConfig()
                .webSocketConfig().serverPath("mqtt").applyWebSocketConfig()
                .buildBlocking();
        publisher.connect();
        try {
            publisher.publishWith().topic(topic).qos(MqttQos.EXACTLY_ONCE).payload(bytes("wss to tcp")).send();

            await().atMost(WAIT).until(() -> received.contains("wss to tcp"));
        } finally {
            publisher.disconnect();
        }
    }

    /**
     * A payload this large goes out as one composite buffer (a header and a payload buffer shared between
     * deliveries): it must still be one binary frame's worth of bytes that the client reads as one PUBLISH.
     */
    @Test
    void aLargeMessageReachesASecureWebSocketSubscriberWhole() throws Exception {
        String topic = TestNames.topic("wss-large");
        byte[] payload = new byte[64 * 1024 + 3];
        Arrays.fill(payload, (byte) 'x');
        payload[payload.length - 1] = '!';
        Mqtt3BlockingClient subscriber = MqttClient.builder().useMqttVersion3()
                .identifier(TestNames.clientId("wss3sub")).serverHost("localhost").serverPort(wssPort)
                .sslConfig().trustManagerFactory(trustingTestCa()).applySslConfig()
                .webSocketConfig().serverPath("mqtt").applyWebSocketConfig()
                .buildBlocking();
        try (Mqtt3BlockingClient.Mqtt3Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber.connect();
            subscriber.subscribeWith().topicFilter(topic).qos(MqttQos.AT_MOST_ONCE).send();

            tcpClient(TestNames.clientId("tcplarge")).publish(topic, payload, 0, false);

            byte[] received = publishes.receive(RECEIVE_SECONDS, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes();
            assertThat(received).isEqualTo(payload);
        } finally {
            subscriber.disconnect();
        }
    }

    /** Records what a JDK WebSocket client receives. */
    private static final class Recorder implements WebSocket.Listener {
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
        private final CompletableFuture<Integer> closed = new CompletableFuture<>();

        @Override
        public synchronized CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binary.writeBytes(chunk);
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closed.complete(-1);
        }

        synchronized byte[] received() {
            return binary.toByteArray();
        }
    }

    private WebSocket openJdkWebSocket(Recorder recorder, String subprotocol) {
        HttpClient http = HttpClient.newHttpClient();
        closeAfterTest.add(http::shutdownNow);
        WebSocket socket = http.newWebSocketBuilder().subprotocols(subprotocol)
                .buildAsync(URI.create("ws://" + HOST + ":" + wsPort + "/mqtt"), recorder).join();
        closeAfterTest.add(socket::abort);
        return socket;
    }

    @Test
    void packetSplitAcrossFramesAndPacketsSharingOneFrameAreBothUnderstood_MQTT_6_0_0_2() {
        Recorder recorder = new Recorder();
        WebSocket socket = openJdkWebSocket(recorder, "mqtt");
        byte[] connect = Packets.connect(TestNames.clientId("frames")).build();
        byte[] subscribe = Packets.subscribe(1, "frames/#", 0);

        // CONNECT in two messages, the second half in a fragmented one (binary frame + continuation).
        int half = connect.length / 2;
        socket.sendBinary(ByteBuffer.wrap(connect, 0, half), true).join();
        socket.sendBinary(ByteBuffer.wrap(connect, half, 2), false).join();
        socket.sendBinary(ByteBuffer.wrap(connect, half + 2, connect.length - half - 2), true).join();
        await().atMost(WAIT).until(() -> recorder.received().length >= CONNACK_ACCEPTED.length);
        assertThat(recorder.received()).containsExactly(CONNACK_ACCEPTED);

        // SUBSCRIBE and PINGREQ in one frame.
        byte[] both = Arrays.copyOf(subscribe, subscribe.length + Packets.pingreq().length);
        System.arraycopy(Packets.pingreq(), 0, both, subscribe.length, Packets.pingreq().length);
        socket.sendBinary(ByteBuffer.wrap(both), true).join();

        byte[] pingresp = {(byte) 0xD0, 0x00};
        await().atMost(WAIT).until(() -> recorder.received().length
                >= CONNACK_ACCEPTED.length + SUBACK_QOS0.length + pingresp.length);
        assertThat(Arrays.copyOfRange(recorder.received(), CONNACK_ACCEPTED.length, recorder.received().length))
                .containsExactly(concat(SUBACK_QOS0, pingresp));
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    @Test
    void textFrameClosesTheConnection_MQTT_6_0_0_1() {
        Recorder recorder = new Recorder();
        WebSocket socket = openJdkWebSocket(recorder, "mqtt");

        socket.sendText("not mqtt", true).join();

        assertThat(recorder.closed).succeedsWithin(WAIT);
    }

    @Test
    void frameLargerThanMaxPacketSizeClosesTheConnection() {
        Recorder recorder = new Recorder();
        WebSocket socket = openJdkWebSocket(recorder, "mqtt");
        int messageTooBig = 1009;
        socket.sendBinary(ByteBuffer.wrap(Packets.connect(TestNames.clientId("bigframe")).build()), true).join();
        await().atMost(WAIT).until(() -> recorder.received().length >= CONNACK_ACCEPTED.length);
        // Valid MQTT, each packet small (PINGREQ after PINGREQ), but one frame above max_packet_size: were
        // the frame let through, the broker would answer every PINGREQ and stay connected.
        byte[] pingreq = Packets.pingreq();
        ByteBuffer frame = ByteBuffer.allocate(broker.config().maxPacketSize() + pingreq.length);
        while (frame.hasRemaining()) {
            frame.put(pingreq);
        }

        socket.sendBinary(frame.flip(), true);

        // The server sends a close frame with 1009 and closes the socket; a client still busy writing the
        // rest of the frame may see the reset (-1 here) before it reads that close frame.
        assertThat(recorder.closed).succeedsWithin(WAIT).isIn(messageTooBig, -1);
    }

    @Test
    void serverAnswersWithTheMqttSubprotocolTheClientOffered_MQTT_6_0_0_4() {
        assertThat(openJdkWebSocket(new Recorder(), "mqtt").getSubprotocol()).isEqualTo("mqtt");
        assertThat(openJdkWebSocket(new Recorder(), "mqttv3.1").getSubprotocol()).isEqualTo("mqttv3.1");
    }

    /** Sends {@code request} on a plain socket; returns the whole response once the server closed. */
    private static String rawExchange(String request) throws IOException {
        try (Socket socket = new Socket(HOST, wsPort)) {
            socket.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            // readAllBytes returns only at end of stream: the server must close the connection.
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static String upgradeRequest(String path, String subprotocolHeader) {
        return "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + HOST + ":" + wsPort + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + subprotocolHeader
                + "\r\n";
    }

    @Test
    void upgradeOnAnotherPathIsRefusedWith404AndClosed() throws IOException {
        String response = rawExchange(upgradeRequest("/other", "Sec-WebSocket-Protocol: mqtt\r\n"));

        assertThat(response).startsWith("HTTP/1.1 404 Not Found\r\n");
    }

    @Test
    void upgradeWithoutTheMqttSubprotocolIsRefusedWith400AndClosed_MQTT_6_0_0_3() throws IOException {
        assertThat(rawExchange(upgradeRequest("/mqtt", "Sec-WebSocket-Protocol: chat, superchat\r\n")))
                .startsWith("HTTP/1.1 400 Bad Request\r\n");
        assertThat(rawExchange(upgradeRequest("/mqtt", ""))).startsWith("HTTP/1.1 400 Bad Request\r\n");
    }

    @Test
    void plainHttpRequestIsRefusedWith426AndClosed() throws IOException {
        String response = rawExchange("GET /mqtt HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 426 Upgrade Required\r\n").containsIgnoringCase("upgrade: websocket");
    }

    @Test
    void mqttSpokenStraightToAWebSocketListenerIsRefusedWith400AndClosed() throws IOException {
        String response = rawExchange(new String(Packets.connect("raw").build(), StandardCharsets.ISO_8859_1));

        assertThat(response).startsWith("HTTP/1.1 400 Bad Request\r\n");
    }

    @Test
    void webSocketClientsAuthenticateAgainstThePasswordFileLikeTcpClients() throws Exception {
        Path passwords = directory.resolve("passwd");
        PasswordFile.empty().withUser("alice", PasswordHash.create(bytes("secret"), 5)).write(passwords);
        try (Broker secured = Broker.start(BrokerConfig.builder()
                .listeners(List.of(ListenerConfig.websockets(0, HOST)))
                .passwordFile(passwords)
                .dataDirectory(directory.resolve("second-broker"))
                .build())) {
            int port = secured.boundAddresses().getFirst().getPort();

            Mqtt5BlockingClient intruder = webSocket5Client(port, "intruder");
            assertThatThrownBy(() -> intruder.connectWith().simpleAuth().username("alice")
                    .password(bytes("wrong")).applySimpleAuth().send())
                    .isInstanceOfSatisfying(Mqtt5ConnAckException.class, refused -> assertThat(
                            refused.getMqttMessage().getReasonCode())
                            .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD));

            Mqtt5BlockingClient alice = webSocket5Client(port, "alice");
            assertThat(alice.connectWith().simpleAuth().username("alice").password(bytes("secret"))
                    .applySimpleAuth().send().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
            alice.disconnect();
        }
    }

    @Test
    void connectionEventsOverWebSocketNameTheClientAndTheSocketsRemoteAddress() {
        Logger logger = (Logger) LoggerFactory.getLogger(MqttConnection.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        logger.addAppender(events);
        String clientId = TestNames.clientId("wslog");
        try {
            Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(clientId)
                    .serverHost(HOST).serverPort(wsPort)
                    .webSocketConfig().serverPath("mqtt").applyWebSocketConfig()
                    .buildBlocking();
            client.connectWith().keepAlive(30).send();
            client.disconnect();

            await().atMost(WAIT).untilAsserted(() -> assertThat(eventsOf(events, clientId))
                    .extracting(fields -> fields.get("event")).containsExactly("connected", "disconnected"));
        } finally {
            logger.detachAppender(events);
        }
        Map<String, String> connected = eventsOf(events, clientId).getFirst();
        assertThat(connected).containsEntry("protocol", "5.0").containsEntry("keepAlive", "30")
                .containsEntry("cleanStart", "true");
        assertThat(connected.get("remoteAddress")).startsWith("127.0.0.1:").doesNotContain("/");
        assertThat(connected).doesNotContainKey("username");
        assertThat(eventsOf(events, clientId).get(1).get("reason")).contains("DISCONNECT");
    }

    @Test
    void maxConnectionsLimitsAWebSocketListenerLikeATcpOne() {
        try (Broker limited = Broker.start(BrokerConfig.builder()
                .listeners(List.of(ListenerConfig.websockets(0, HOST).withMaxConnections(1)))
                .allowAnonymous(true)
                .dataDirectory(directory.resolve("second-broker"))
                .sysInterval(Duration.ZERO)
                .build())) {
            URI uri = URI.create("ws://" + HOST + ":" + limited.boundAddresses().getFirst().getPort() + "/mqtt");
            HttpClient http = HttpClient.newHttpClient();
            closeAfterTest.add(http::shutdownNow);
            WebSocket first = http.newWebSocketBuilder().subprotocols("mqtt").buildAsync(uri, new Recorder()).join();
            closeAfterTest.add(first::abort);

            assertThat(http.newWebSocketBuilder().subprotocols("mqtt").buildAsync(uri, new Recorder()))
                    .failsWithin(WAIT);
        }
    }

    /** The key-value pairs of the logged events about {@code clientId}, in order. */
    private static List<Map<String, String>> eventsOf(ListAppender<ILoggingEvent> events, String clientId) {
        return List.copyOf(events.list).stream()
                .filter(event -> event.getKeyValuePairs() != null)
                .map(event -> event.getKeyValuePairs().stream()
                        .collect(Collectors.toMap(pair -> pair.key, pair -> String.valueOf(pair.value))))
                .filter(fields -> clientId.equals(fields.get("clientId")))
                .toList();
    }

    private static Mqtt5BlockingClient webSocket5Client(int port, String clientId) {
        return MqttClient.builder().useMqttVersion5().identifier(TestNames.clientId(clientId))
                .serverHost(HOST).serverPort(port)
                .webSocketConfig().serverPath("mqtt").applyWebSocketConfig()
                .buildBlocking();
    }
}
