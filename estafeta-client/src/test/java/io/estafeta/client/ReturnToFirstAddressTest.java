package io.estafeta.client;

import io.estafeta.testkit.MosquittoBroker;
import io.netty.handler.codec.mqtt.MqttQoS;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client with two addresses, each a real Mosquitto: the first is the main one when the client is told
 * to return to it ({@link MqttClientOptions.Builder#returnToFirstAddress}), otherwise the two are alike.
 * The intervals are short here; bridges use Mosquitto's 5 s.
 */
class ReturnToFirstAddressTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final long WAIT_SECONDS = WAIT.toSeconds();
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(100);
    private static final Duration RECONNECT_DELAY = Duration.ofMillis(100);
    /** How long a round-robin client is watched: many probe intervals, in which a returning one would have left. */
    private static final Duration STAYS_FOR = PROBE_INTERVAL.multipliedBy(30);

    @TempDir
    Path directory;

    private MosquittoBroker first;
    private MosquittoBroker second;
    private ClientEventLoops eventLoops;
    private final List<MqttClient> clients = new ArrayList<>();
    private final List<Throwable> lost = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startBrokers() throws IOException {
        first = MosquittoBroker.start(Files.createDirectory(directory.resolve("first")));
        second = MosquittoBroker.start(Files.createDirectory(directory.resolve("second")));
        eventLoops = ClientEventLoops.create(1);
    }

    @AfterEach
    void stopAll() {
        clients.forEach(MqttClient::close);
        eventLoops.close();
        second.close();
        first.close();
    }

    @Test
    void clientGoesBackToTheFirstAddressOnceItAcceptsConnectionsAgain() throws Exception {
        MqttClient client = connectedToSecondAfterTheFirstStopped(PROBE_INTERVAL);

        first.restart();

        await().atMost(WAIT).until(() -> client.isConnected() && client.currentAddress().port() == first.port());
        assertThat(lost).last().isInstanceOfSatisfying(FirstAddressAvailableException.class, reason -> {
            assertThat(reason.left().port()).isEqualTo(second.port());
            assertThat(reason.first().port()).isEqualTo(first.port());
        });
        // Really connected there: a subscriber on the first broker gets what the client publishes now.
        ReceivedMessages received = new ReceivedMessages();
        MqttClient subscriber = client(MqttClientOptions.builder().host(first.host()).port(first.port()), received);
        subscriber.connect().get(WAIT_SECONDS, TimeUnit.SECONDS);
        subscriber.subscribe("back/#", MqttQoS.AT_LEAST_ONCE).get(WAIT_SECONDS, TimeUnit.SECONDS);
        client.publish("back/on-first", utf8("here"), MqttQoS.AT_LEAST_ONCE, false).get(WAIT_SECONDS, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> received.withPayload("here") == 1);
    }

    @Test
    void qos1MessagesInFlightOnTheSecondAddressAreSentAgainToTheFirst() throws Exception {
        MqttClient client = connectedToSecondAfterTheFirstStopped(PROBE_INTERVAL);
        // The second broker hangs: what the client sends it now stays unacknowledged, in flight.
        second.pause();
        List<CompletableFuture<Void>> sent = IntStream.range(0, 5)
                .mapToObj(i -> client.publish("inflight/" + i, utf8("m" + i), MqttQoS.AT_LEAST_ONCE, false))
                .toList();
        assertThat(sent).noneMatch(CompletableFuture::isDone);

        first.restart();

        // Only the first broker can acknowledge them: the second one is frozen, and its connection closed.
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(client.currentAddress().port()).isEqualTo(first.port());
        second.resume();
    }

    @Test
    void withoutReturnToFirstAddressTheClientStaysOnTheSecond() throws Exception {
        MqttClient client = connectedToSecondAfterTheFirstStopped(Duration.ZERO);

        first.restart();

        await().during(STAYS_FOR).atMost(STAYS_FOR.plus(WAIT))
                .until(() -> client.isConnected() && client.currentAddress().port() == second.port());
        assertThat(lost).noneMatch(FirstAddressAvailableException.class::isInstance);
    }

    @Test
    void aConnectionLostOnTheSecondAddressIsTriedAgainOnTheFirstAddressFirst() throws Exception {
        try (TcpProxy toSecond = new TcpProxy(second.port())) {
            MqttClient client = connected(new ServerAddress(second.host(), toSecond.port()), Duration.ofHours(1));
            first.stop();
            await().atMost(WAIT).until(() -> client.isConnected() && client.currentAddress().port() == toSecond.port());
            first.restart();

            toSecond.cutConnections();

            // The probe is an hour away: the client went to the first address because it comes first again,
            // and did not try the second one, where it had just lost its connection.
            await().atMost(WAIT).until(() -> client.isConnected() && client.currentAddress().port() == first.port());
            assertThat(toSecond.connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void connectAfterDisconnectingFromTheSecondAddressGoesToTheFirst() throws Exception {
        MqttClient client = connectedToSecondAfterTheFirstStopped(Duration.ofHours(1));
        first.restart();

        client.disconnect().get(WAIT_SECONDS, TimeUnit.SECONDS);
        client.connect().get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(client.currentAddress().port()).isEqualTo(first.port());
    }

    // ---- helpers ----

    /** A reconnecting client on [first, second], connected to the first, then moved to the second by stopping the first. */
    private MqttClient connectedToSecondAfterTheFirstStopped(Duration probeInterval) throws Exception {
        MqttClient client = connected(new ServerAddress(second.host(), second.port()), probeInterval);
        first.stop();
        await().atMost(WAIT).until(() -> client.isConnected() && client.currentAddress().port() == second.port());
        return client;
    }

    /** A reconnecting client on [first, secondAddress], connected to the first. */
    private MqttClient connected(ServerAddress secondAddress, Duration probeInterval) throws Exception {
        MqttClientOptions.Builder options = MqttClientOptions.builder()
                .addresses(List.of(new ServerAddress(first.host(), first.port()), secondAddress))
                .clientId("main-and-secondary")
                .cleanStart(false)
                .reconnect(ReconnectPolicy.constant(RECONNECT_DELAY))
                .returnToFirstAddress(probeInterval);
        MqttClient client = client(options, null);
        client.setConnectionListener(new ConnectionListener() {
            @Override
            public void connectionLost(Throwable cause, boolean willReconnect) {
                lost.add(cause);
            }
        });
        client.connect().get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(client.currentAddress().port()).isEqualTo(first.port());
        return client;
    }

    private MqttClient client(MqttClientOptions.Builder options, MessageListener listener) {
        MqttClient client = new MqttClient(options.connectTimeout(WAIT).eventLoops(eventLoops).build());
        if (listener != null) {
            client.setMessageListener(listener);
        }
        clients.add(client);
        return client;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
