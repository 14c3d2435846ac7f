package io.estafeta.broker.bridge;

import io.estafeta.broker.config.BridgeConfig;
import io.estafeta.broker.config.ConfigParser;
import io.estafeta.broker.testsupport.PahoTestClient;
import io.estafeta.broker.testsupport.TestBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two Estafeta brokers, the edge bridged to the hub with {@code topic # both}: messages cross once, no loop. */
class EstafetaToEstafetaBridgeTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int MESSAGES = 10;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    /** 3.1.1: the hub recognises the bridge by try_private; 5.0: the bridge subscribes with No Local. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mqttv311", "mqttv50"})
    void twoBrokersBridgedBothWaysDoNotLoop(String protocol) throws Exception {
        TestBroker hub = TestBroker.start();
        resources.add(hub);
        List<BridgeConfig> bridges = ConfigParser.parse(String.join("\n",
                "connection hub", "address " + hub.host() + ":" + hub.port(), "remote_clientid edge-to-hub",
                "bridge_protocol_version " + protocol, "restart_timeout 1", "topic # both 1"), "edge.conf")
                .config().bridges();
        TestBroker edge = TestBroker.start(config -> config.bridges(bridges));
        resources.add(edge);
        PahoTestClient hubClient = client(hub, "hub-client");
        PahoTestClient edgeClient = client(edge, "edge-client");
        hubClient.subscribe("#", 1);
        edgeClient.subscribe("#", 1);
        // The bridge subscribed on the hub before it announced "1" there.
        hubClient.subscribe("$SYS/broker/connection/edge-to-hub/state", 1);
        await().atMost(WAIT).until(() -> hubClient.received().payloads().contains("1"));

        IntStream.range(0, MESSAGES).forEach(i -> {
            edgeClient.publish("edge/" + i, "e" + i, 1, false);
            hubClient.publish("hub/" + i, "h" + i, 1, false);
        });
        edgeClient.publish("edge/marker", "edge-end", 1, false);
        hubClient.publish("hub/marker", "hub-end", 1, false);

        await().atMost(WAIT).until(() -> edgeClient.received().payloads().containsAll(List.of("edge-end", "hub-end")));
        await().atMost(WAIT).until(() -> hubClient.received().payloads().containsAll(List.of("edge-end", "hub-end")));
        // A last round trip after the markers: anything looping would have come round by now.
        edgeClient.publish("edge/last", "last", 1, false);
        await().atMost(WAIT).until(() -> hubClient.received().payloads().contains("last"));
        await().atMost(WAIT).until(() -> edgeClient.received().payloads().contains("last"));
        List<String> onEdge = edgeClient.received().payloads();
        List<String> onHub = hubClient.received().payloads().stream().filter(p -> !p.equals("1")).toList();
        assertThat(onEdge).hasSize(2 * MESSAGES + 3).doesNotHaveDuplicates();
        assertThat(onHub).hasSize(2 * MESSAGES + 3).doesNotHaveDuplicates();
    }

    private PahoTestClient client(TestBroker broker, String clientId) {
        PahoTestClient client = PahoTestClient.connect(broker, clientId, true);
        resources.add(client);
        return client;
    }
}
