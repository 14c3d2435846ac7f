package io.estafeta.broker.bridge;

import io.estafeta.broker.Broker;
import io.estafeta.broker.config.BridgeConfig;
import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.config.ConfigException;
import io.estafeta.broker.config.ConfigParser;
import io.estafeta.broker.testsupport.Paho5TestClient;
import io.estafeta.broker.testsupport.PahoTestClient;
import io.estafeta.broker.testsupport.ReceivedMessage;
import io.estafeta.broker.testsupport.TestBroker;
import io.estafeta.testkit.MosquittoBroker;
import io.estafeta.testkit.TestCertificates;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Estafeta bridged to a real Mosquitto (Debian's, on a free loopback port) as the remote broker. */
class BridgeToMosquittoTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String STATE_TOPIC = "bridge/state";
    /** How often a bridge checks its main address here (Mosquitto's 5 s would make the tests slow). */
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(100);
    /**
     * How long a state is watched to show that it lasts: 30 probe intervals, and three times restart_timeout 1,
     * in which a bridge that would move (go back to its main address, reconnect) would have.
     */
    private static final Duration STAYS_FOR = Duration.ofSeconds(3);

    @TempDir
    Path directory;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private MosquittoBroker remote;
    private TestBroker local;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    void outTopicCarriesLocalMessagesToTheRemoteWithThePrefixesSwapped(int qos) throws Exception {
        startRemote(List.of("allow_anonymous true"));
        PahoTestClient remoteSubscriber = remoteClient("remote-sub", true);
        remoteSubscriber.subscribe("hq/site/#", qos);
        startLocal("topic sensors/# out " + qos + " site/ hq/site/");
        awaitRemoteState(remoteSubscriber, "1");
        PahoTestClient publisher = localClient("local-pub", true);

        publisher.publish("site/sensors/t1", "21.5", qos, false);

        ReceivedMessage got = awaitPayloadOn(remoteSubscriber, "21.5");
        assertThat(got.topic()).isEqualTo("hq/site/sensors/t1");
        assertThat(got.qos()).isEqualTo(qos);
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    void inTopicBringsRemoteMessagesToLocalSubscribersWithThePrefixesSwapped(int qos) throws Exception {
        startRemote(List.of("allow_anonymous true"));
        PahoTestClient remoteClient = remoteClient("remote-pub", true);
        remoteClient.subscribe(STATE_TOPIC, 1);
        startLocal("topic commands/# in " + qos + " site/ hq/site/");
        PahoTestClient localSubscriber = localClient("local-sub", true);
        localSubscriber.subscribe("site/#", qos);
        // The bridge subscribes before it announces "1" on the same connection: Mosquitto has the
        // subscription once the announcement arrives.
        awaitRemoteState(remoteClient, "1");

        remoteClient.publish("hq/site/commands/reboot", "now", qos, false);

        ReceivedMessage got = awaitPayloadOn(localSubscriber, "now");
        assertThat(got.topic()).isEqualTo("site/commands/reboot");
        assertThat(got.qos()).isEqualTo(qos);
    }

    @Test
    void bothDirectionsCarryMessagesEachWayAndNothingComesBack() throws Exception {
        startRemote(List.of("allow_anonymous true"));
        PahoTestClient remoteClient = remoteClient("remote-both", true);
        remoteClient.subscribe("hq/#", 1);
        remoteClient.subscribe(STATE_TOPIC, 1);
        startLocal("topic shared/# both 1 site/ hq/");
        PahoTestClient localClient = localClient("local-both", true);
        localClient.subscribe("site/#", 1);
        awaitRemoteState(remoteClient, "1");

        localClient.publish("site/shared/up", "from-site", 1, false);
        remoteClient.publish("hq/shared/down", "from-hq", 1, false);
        remoteClient.publish("hq/shared/marker", "end", 1, false);

        awaitPayloadOn(remoteClient, "from-site");
        awaitPayloadOn(localClient, "from-hq");
        awaitPayloadOn(localClient, "end");
        // try_private: Mosquitto does not send the bridge back what it published; the local session's No
        // Local subscription does not send back what the bridge brought in.
        assertThat(localClient.received().payloads()).containsOnlyOnce("from-site", "from-hq");
        assertThat(remoteClient.received().payloads()).containsOnlyOnce("from-site", "from-hq");
    }

    @Test
    void messagesPublishedWhileTheRemoteIsDownAllArriveAfterItRestartsAndQos2OnlyOnce() throws Exception {
        // Mosquitto keeps its sessions across the restart; started as root it would switch to the
        // mosquitto user, which cannot write the test's directory ("user root" is ignored for others).
        startRemote(List.of("allow_anonymous true", "persistence true",
                "persistence_location " + directory.toAbsolutePath() + "/", "user root"));
        MqttConnectOptions persistent = PahoTestClient.options();
        persistent.setCleanSession(false);
        PahoTestClient remoteSubscriber = PahoTestClient.connect(remoteUri(), "outage-sub", persistent);
        remoteSubscriber.subscribe("hq/#", 2);
        remoteSubscriber.subscribe(STATE_TOPIC, 1);
        startLocal("topic data/# out 2 \"\" hq/");
        awaitRemoteState(remoteSubscriber, "1");
        remoteSubscriber.close();

        remote.stop();
        await().atMost(WAIT).until(() -> bridgeState() == BridgeState.RECONNECTING);
        PahoTestClient publisher = localClient("outage-pub", true);
        List<String> sent = new ArrayList<>();
        IntStream.range(0, 20).forEach(i -> {
            publisher.publish("data/q1", "q1-" + i, 1, false);
            publisher.publish("data/q2", "q2-" + i, 2, false);
            sent.add("q1-" + i);
            sent.add("q2-" + i);
        });
        remote.restart();

        PahoTestClient resumed = PahoTestClient.connect(remoteUri(), "outage-sub", persistent);
        resources.add(resumed);
        await().atMost(WAIT).until(() -> resumed.received().payloads().containsAll(sent));
        await().atMost(WAIT).until(() -> bridgeState() == BridgeState.CONNECTED);
        // A marker after everything: once it is in, no late duplicate can still be on its way.
        publisher.publish("data/q2", "marker", 2, false);
        awaitPayloadOn(resumed, "marker");
        List<String> qos2 = resumed.received().payloads().stream().filter(p -> p.startsWith("q2-")).toList();
        assertThat(qos2).hasSize(20).doesNotHaveDuplicates();
    }

    @Test
    void messagesQueuedForAnUnreachableRemoteSurviveARestartOfThisBroker() throws Exception {
        // The bridge's local session is a persistent session like any other: its queue is stored.
        startRemote(List.of("allow_anonymous true", "persistence true",
                "persistence_location " + directory.toAbsolutePath() + "/", "user root"));
        MqttConnectOptions persistent = PahoTestClient.options();
        persistent.setCleanSession(false);
        PahoTestClient remoteSubscriber = PahoTestClient.connect(remoteUri(), "restart-sub", persistent);
        remoteSubscriber.subscribe("hq/#", 2);
        remoteSubscriber.close();
        Path localData = directory.resolve("local-data");
        String topicLine = "topic data/# out 2 \"\" hq/";

        List<String> sent = new ArrayList<>();
        try (Broker first = startLocalBroker(localData, topicLine)) {
            await().atMost(WAIT).until(() -> first.bridges().getFirst().state() == BridgeState.CONNECTED);
            remote.stop();
            await().atMost(WAIT).until(() -> first.bridges().getFirst().state() == BridgeState.RECONNECTING);
            try (PahoTestClient publisher = PahoTestClient.connect(first.uri(), "restart-pub", PahoTestClient.options())) {
                IntStream.range(0, 10).forEach(i -> {
                    publisher.publish("data/q1", "q1-" + i, 1, false);
                    publisher.publish("data/q2", "q2-" + i, 2, false);
                    sent.add("q1-" + i);
                    sent.add("q2-" + i);
                });
            }
        }
        remote.restart();
        try (Broker second = startLocalBroker(localData, topicLine)) {
            PahoTestClient resumed = PahoTestClient.connect(remoteUri(), "restart-sub", persistent);
            resources.add(resumed);
            await().atMost(WAIT).until(() -> resumed.received().payloads().containsAll(sent));
            List<String> qos2 = resumed.received().payloads().stream().filter(p -> p.startsWith("q2-")).toList();
            assertThat(qos2).hasSize(10).doesNotHaveDuplicates();
        }
    }

    /** Estafeta with one bridge "hq" to the remote, its data in {@code dataDirectory} (kept across restarts). */
    private Broker startLocalBroker(Path dataDirectory, String topicLine) throws ConfigException {
        List<String> text = List.of("connection hq", "remote_clientid edge", "restart_timeout 1",
                "address " + remote.host() + ":" + remote.port(), topicLine);
        List<BridgeConfig> bridges = ConfigParser.parse(String.join("\n", text), "test.conf").config().bridges();
        return Broker.start(BrokerConfig.builder().localOnlyPort(0).dataDirectory(dataDirectory).bridges(bridges)
                .build());
    }

    @Test
    void bridgeFailsOverToTheSecondAddressWhenTheFirstRefuses() throws Exception {
        startRemote(List.of("allow_anonymous true"));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        PahoTestClient remoteSubscriber = remoteClient("failover-sub", true);
        remoteSubscriber.subscribe("fo/#", 1);
        startLocal(List.of("address 127.0.0.1:" + closedPort + " 127.0.0.1:" + remote.port(),
                "topic fo/# out 1"));

        await().atMost(WAIT).until(() -> bridgeState() == BridgeState.CONNECTED);
        assertThat(local.estafeta().orElseThrow().bridges().getFirst().address().port()).isEqualTo(remote.port());
        localClient("failover-pub", true).publish("fo/x", "via-second", 1, false);

        awaitPayloadOn(remoteSubscriber, "via-second");
    }

    @Test
    void bridgeGoesBackToTheMainAddressOnceItIsReachableAndLosesNoQos1Message() throws Exception {
        // round_robin false (Mosquitto's default): the first address is the main one. The main broker keeps
        // its sessions across its restart, so that its subscriber gets what the bridge sends while it starts.
        MosquittoBroker main = startRemote("main", List.of("allow_anonymous true", "persistence true",
                "persistence_location " + directory.resolve("main").toAbsolutePath() + "/", "user root"));
        MosquittoBroker secondary = startRemote("secondary", List.of("allow_anonymous true"));
        MqttConnectOptions persistent = PahoTestClient.options();
        persistent.setCleanSession(false);
        PahoTestClient mainSubscriber = PahoTestClient.connect(uri(main), "main-sub", persistent);
        mainSubscriber.subscribe("hq/#", 1);
        mainSubscriber.close();
        PahoTestClient secondarySubscriber = PahoTestClient.connect(uri(secondary), "secondary-sub",
                PahoTestClient.options());
        resources.add(secondarySubscriber);
        secondarySubscriber.subscribe("hq/#", 1);
        startLocal(List.of("address " + address(main) + " " + address(secondary), "topic data/# out 1 \"\" hq/"),
                bridge -> bridge.withMainAddressProbeInterval(PROBE_INTERVAL));
        await().atMost(WAIT).until(() -> connectedTo(main));
        PahoTestClient publisher = localClient("switch-pub", true);

        main.stop();
        await().atMost(WAIT).until(() -> connectedTo(secondary));
        List<String> viaSecondary = publishAll(publisher, "s-", 10);
        await().atMost(WAIT).until(() -> secondarySubscriber.received().payloads().containsAll(viaSecondary));
        // The secondary hangs: what the bridge sends it now stays in flight, unacknowledged.
        secondary.pause();
        List<String> inFlight = publishAll(publisher, "f-", 10);
        main.restart();

        await().atMost(WAIT).until(() -> connectedTo(main));
        assertThat(local.estafeta().orElseThrow().bridges().getFirst().lastError())
                .contains("accepts connections again");
        List<String> viaMain = publishAll(publisher, "m-", 10);
        PahoTestClient resumed = PahoTestClient.connect(uri(main), "main-sub", persistent);
        resources.add(resumed);
        // Everything in flight on the secondary went to the main broker, and what followed too.
        await().atMost(WAIT).until(() -> resumed.received().payloads().containsAll(inFlight)
                && resumed.received().payloads().containsAll(viaMain));
        secondary.resume();
    }

    @Test
    void roundRobinBridgeStaysOnTheSecondAddressWhenTheFirstComesBack() throws Exception {
        MosquittoBroker first = startRemote("first", List.of("allow_anonymous true"));
        MosquittoBroker second = startRemote("second", List.of("allow_anonymous true"));
        startLocal(List.of("address " + address(first) + " " + address(second), "round_robin true",
                "topic data/# out 1"), bridge -> bridge.withMainAddressProbeInterval(PROBE_INTERVAL));
        await().atMost(WAIT).until(() -> connectedTo(first));
        first.stop();
        await().atMost(WAIT).until(() -> connectedTo(second));

        first.restart();

        // Long enough for many probes of a bridge that would go back (the probe interval is the same).
        await().during(STAYS_FOR).atMost(STAYS_FOR.plus(WAIT)).until(() -> connectedTo(second));
    }

    @Test
    void lazyBridgeStaysDisconnectedUntilMoreThanThresholdMessagesWaitThenDeliversThemAll() throws Exception {
        startRemote(List.of("allow_anonymous true"));
        PahoTestClient remoteSubscriber = remoteClient("lazy-sub", true);
        remoteSubscriber.subscribe("hq/#", 1);
        startLocal(List.of("address " + address(remote), "start_type lazy", "threshold 3",
                "topic data/# out 1 \"\" hq/"));
        await().atMost(WAIT).until(() -> bridgeState() == BridgeState.WAITING);
        PahoTestClient publisher = localClient("lazy-pub", true);

        List<String> sent = publishAll(publisher, "l-", 3);
        await().atMost(WAIT).until(() -> bridgeStatus().waitingMessages() == 3);
        assertThat(bridgeState()).isEqualTo(BridgeState.WAITING);
        assertThat(remoteSubscriber.received().payloads()).isEmpty();

        publisher.publish("data/x", "l-3", 1, false);

        await().atMost(WAIT).until(() -> remoteSubscriber.received().payloads().size() == 4);
        assertThat(remoteSubscriber.received().payloads()).containsExactlyElementsOf(
                java.util.stream.Stream.concat(sent.stream(), java.util.stream.Stream.of("l-3")).toList());
    }

    @Test
    void lazyBridgeDisconnectsAfterIdleTimeoutAndConnectsAgainForMoreMessages() throws Exception {
        startRemote(List.of("allow_anonymous true"));
        PahoTestClient remoteSubscriber = remoteClient("idle-sub", true);
        remoteSubscriber.subscribe("hq/#", 1);
        remoteSubscriber.subscribe(STATE_TOPIC, 1);
        startLocal(List.of("address " + address(remote), "start_type lazy", "threshold 1", "idle_timeout 1",
                "topic data/# out 1 \"\" hq/"));
        await().atMost(WAIT).until(() -> bridgeState() == BridgeState.WAITING);
        PahoTestClient publisher = localClient("idle-pub", true);
        List<String> first = publishAll(publisher, "first-", 2);
        await().atMost(WAIT).until(() -> remoteSubscriber.received().payloads().containsAll(first));

        // One second without a message: the bridge leaves, and says so on the remote's state topic.
        await().atMost(WAIT).until(() -> bridgeState() == BridgeState.WAITING);
        await().atMost(WAIT).until(() -> remoteSubscriber.received().snapshot().stream()
                .filter(m -> m.topic().equals(STATE_TOPIC)).map(ReceivedMessage::payload).toList()
                .equals(List.of("1", "0")));
        List<String> second = publishAll(publisher, "second-", 2);

        await().atMost(WAIT).until(() -> remoteSubscriber.received().payloads().containsAll(second));
    }

    @Test
    void lazyBridgeKeepsQos0MessagesWhileWaitingAsMosquittoDoes() throws Exception {
        startRemote(List.of("allow_anonymous true"));
        PahoTestClient remoteSubscriber = remoteClient("lazy0-sub", true);
        remoteSubscriber.subscribe("hq/#", 0);
        // queue_qos0_messages is false: an offline session would drop them, a waiting lazy bridge keeps them.
        startLocal(List.of("address " + address(remote), "start_type lazy", "threshold 2",
                "topic data/# out 0 \"\" hq/"));
        await().atMost(WAIT).until(() -> bridgeState() == BridgeState.WAITING);

        List<String> sent = publishAll(localClient("lazy0-pub", true), "z-", 3, 0);

        await().atMost(WAIT).until(() -> remoteSubscriber.received().payloads().containsAll(sent));
    }

    @Test
    void onceBridgeDoesNotConnectAgainAfterTheRemoteRestarts() throws Exception {
        startRemote(List.of("allow_anonymous true"));
        startLocal(List.of("address " + address(remote), "start_type once", "topic data/# out 1"));
        await().atMost(WAIT).until(() -> bridgeState() == BridgeState.CONNECTED);

        remote.stop();
        await().atMost(WAIT).until(() -> bridgeState() == BridgeState.ENDED);
        remote.restart();

        // restart_timeout is 1 s: an automatic bridge would be back well within this.
        await().during(STAYS_FOR).atMost(STAYS_FOR.plus(WAIT)).until(() -> bridgeState() == BridgeState.ENDED);
        assertThat(bridgeStatus().lastError()).isNotNull();
    }

    @Test
    void notificationTopicShowsOneWhileConnectedThenZeroWhenTheRemoteGoesAway() throws Exception {
        startRemote(List.of("allow_anonymous true"));
        startLocal("topic n/# out 0");
        await().atMost(WAIT).until(() -> bridgeState() == BridgeState.CONNECTED);
        PahoTestClient localSubscriber = localClient("state-sub", true);
        localSubscriber.subscribe(STATE_TOPIC, 1);
        awaitPayloadOn(localSubscriber, "1");

        remote.stop();

        await().atMost(WAIT).until(() -> localSubscriber.received().payloads().equals(List.of("1", "0")));
        assertThat(local.estafeta().orElseThrow().bridges().getFirst().lastError()).isNotNull();
    }

    @Test
    void bridgeConnectsOverTlsWithItsClientCertificate() throws Exception {
        TestCertificates certificates = TestCertificates.authority(directory);
        Path[] server = certificates.issue("server", "DNS:localhost,IP:127.0.0.1");
        Path[] client = certificates.issue("bridge", null);
        int plainPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            plainPort = socket.getLocalPort();
        }
        // A TLS listener requiring a client certificate, and a plain one for the test's own subscriber.
        startRemote(List.of("allow_anonymous true", "cafile " + certificates.caFile(), "certfile " + server[0],
                "keyfile " + server[1], "require_certificate true", "listener " + plainPort + " 127.0.0.1"));
        PahoTestClient remoteSubscriber = PahoTestClient.connect("tcp://127.0.0.1:" + plainPort, "tls-sub",
                PahoTestClient.options());
        resources.add(remoteSubscriber);
        remoteSubscriber.subscribe("secure/#", 1);
        startLocal(List.of("address 127.0.0.1:" + remote.port(), "bridge_cafile " + certificates.caFile(),
                "bridge_certfile " + client[0], "bridge_keyfile " + client[1], "topic secure/# out 1"));
        await().atMost(WAIT).until(() -> bridgeState() == BridgeState.CONNECTED);

        localClient("tls-pub", true).publish("secure/a", "over-tls", 1, false);

        awaitPayloadOn(remoteSubscriber, "over-tls");
    }

    @Test
    void aclDoesNotRestrictWhatTheBridgeSessionReceivesAsInMosquitto() throws Exception {
        startRemote(List.of("allow_anonymous true"));
        PahoTestClient remoteSubscriber = remoteClient("acl-sub", true);
        remoteSubscriber.subscribe("guarded/#", 1);
        // Anonymous clients, the bridge's session among them as far as the ACL knows, may only write.
        Path acl = directory.resolve("acl");
        Files.writeString(acl, "topic write guarded/#\n");
        List<BridgeConfig> bridges = ConfigParser.parse(String.join("\n", "connection hq",
                "address " + remote.host() + ":" + remote.port(), "restart_timeout 1", "topic guarded/# out 1"),
                "test.conf").config().bridges();
        local = TestBroker.start(config -> config.bridges(bridges).aclFile(acl).allowAnonymous(true));
        resources.add(local);
        await().atMost(WAIT).until(() -> bridgeState() == BridgeState.CONNECTED);

        localClient("acl-pub", true).publish("guarded/door", "open", 1, false);

        awaitPayloadOn(remoteSubscriber, "open");
    }

    @Test
    void mqtt5BridgeForwardsUserAndMessagePropertiesBothWays() throws Exception {
        startRemote(List.of("allow_anonymous true"));
        Paho5TestClient remoteClient = Paho5TestClient.connect(remoteUri(), "remote-v5", Paho5TestClient.options());
        resources.add(remoteClient);
        remoteClient.subscribe(new MqttSubscription("v5/#", 1), new MqttSubscription(STATE_TOPIC, 1));
        startLocal(List.of("address " + remote.host() + ":" + remote.port(), "bridge_protocol_version mqttv50",
                "topic v5/# both 1"));
        Paho5TestClient localClient = Paho5TestClient.connect(local, "local-v5");
        resources.add(localClient);
        localClient.subscribe(new MqttSubscription("v5/#", 1));
        await().atMost(WAIT).until(() -> remoteClient.snapshot().stream()
                .anyMatch(m -> m.topic().equals(STATE_TOPIC) && m.payload().equals("1")));

        localClient.publish("v5/up", v5Message("up", "from-local"));
        remoteClient.publish("v5/down", v5Message("down", "from-remote"));

        await().atMost(WAIT).until(() -> remoteClient.snapshot().stream().anyMatch(m -> m.payload().equals("up")));
        await().atMost(WAIT).until(() -> localClient.snapshot().stream().anyMatch(m -> m.payload().equals("down")));
        MqttProperties up = remoteClient.snapshot().stream().filter(m -> m.payload().equals("up")).findFirst()
                .orElseThrow().properties();
        assertThat(up.getUserProperties()).containsExactly(new UserProperty("origin", "from-local"));
        assertThat(up.getContentType()).isEqualTo("text/plain");
        MqttProperties down = localClient.snapshot().stream().filter(m -> m.payload().equals("down")).findFirst()
                .orElseThrow().properties();
        assertThat(down.getUserProperties()).containsExactly(new UserProperty("origin", "from-remote"));
        // No Local on the remote subscription: the bridge does not get "up" back, so it arrives locally once.
        remoteClient.publish("v5/marker", v5Message("marker", "end"));
        await().atMost(WAIT).until(() -> localClient.snapshot().stream().anyMatch(m -> m.payload().equals("marker")));
        assertThat(localClient.snapshot().stream().filter(m -> m.payload().equals("up"))).hasSize(1);
    }

    private static MqttMessage v5Message(String payload, String origin) {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        MqttProperties properties = new MqttProperties();
        properties.setUserProperties(List.of(new UserProperty("origin", origin)));
        properties.setContentType("text/plain");
        message.setProperties(properties);
        return message;
    }

    // ---- helpers ----

    private void startRemote(List<String> settings) throws IOException {
        remote = MosquittoBroker.start(directory, settings);
        resources.add(remote);
    }

    /** One more remote broker, with a directory of its own (for its persistence file). */
    private MosquittoBroker startRemote(String name, List<String> settings) throws IOException {
        MosquittoBroker broker = MosquittoBroker.start(Files.createDirectory(directory.resolve(name)), settings);
        resources.add(broker);
        return broker;
    }

    private static String address(MosquittoBroker broker) {
        return broker.host() + ":" + broker.port();
    }

    private static String uri(MosquittoBroker broker) {
        return "tcp://" + address(broker);
    }

    private boolean connectedTo(MosquittoBroker broker) {
        BridgeStatus status = bridgeStatus();
        return status.state() == BridgeState.CONNECTED && status.address().port() == broker.port();
    }

    /** Publishes {@code count} QoS 1 messages on data/x, payloads prefix + number; returns the payloads. */
    private static List<String> publishAll(PahoTestClient publisher, String prefix, int count) {
        return publishAll(publisher, prefix, count, 1);
    }

    private static List<String> publishAll(PahoTestClient publisher, String prefix, int count, int qos) {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            publisher.publish("data/x", prefix + i, qos, false);
            sent.add(prefix + i);
        }
        return sent;
    }

    private String remoteUri() {
        return "tcp://" + remote.host() + ":" + remote.port();
    }

    private void startLocal(String topicLine) throws ConfigException {
        startLocal(List.of("address " + remote.host() + ":" + remote.port(), topicLine));
    }

    /** Estafeta with one bridge "hq" to the remote: restart_timeout 1, state on {@value STATE_TOPIC}. */
    private void startLocal(List<String> lines) throws ConfigException {
        startLocal(lines, UnaryOperator.identity());
    }

    /** As {@link #startLocal(List)}, with a change to the bridge that no directive makes. */
    private void startLocal(List<String> lines, UnaryOperator<BridgeConfig> adjust) throws ConfigException {
        List<String> text = new ArrayList<>(List.of("connection hq", "remote_clientid edge",
                "restart_timeout 1", "notification_topic " + STATE_TOPIC));
        text.addAll(lines);
        List<BridgeConfig> bridges = ConfigParser.parse(String.join("\n", text), "test.conf").config().bridges()
                .stream().map(adjust).toList();
        local = TestBroker.start(config -> config.bridges(bridges));
        resources.add(local);
    }

    private BridgeState bridgeState() {
        return bridgeStatus().state();
    }

    private BridgeStatus bridgeStatus() {
        return local.estafeta().orElseThrow().bridges().getFirst();
    }

    private PahoTestClient remoteClient(String clientId, boolean cleanSession) {
        MqttConnectOptions options = PahoTestClient.options();
        options.setCleanSession(cleanSession);
        PahoTestClient client = PahoTestClient.connect(remoteUri(), clientId, options);
        resources.add(client);
        return client;
    }

    private PahoTestClient localClient(String clientId, boolean cleanSession) {
        PahoTestClient client = PahoTestClient.connect(local, clientId, cleanSession);
        resources.add(client);
        return client;
    }

    private static void awaitRemoteState(PahoTestClient remoteClient, String state) {
        remoteClient.subscribe(STATE_TOPIC, 1);
        await().atMost(WAIT).until(() -> remoteClient.received().snapshot().stream()
                .anyMatch(m -> m.topic().equals(STATE_TOPIC) && m.payload().equals(state)));
    }

    private static ReceivedMessage awaitPayloadOn(PahoTestClient client, String payload) {
        await().atMost(WAIT).until(() -> client.received().payloads().contains(payload));
        return client.received().snapshot().stream().filter(m -> m.payload().equals(payload)).findFirst()
                .orElseThrow();
    }
}
