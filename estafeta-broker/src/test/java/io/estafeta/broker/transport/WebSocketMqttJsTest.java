package io.estafeta.broker.transport;

import io.estafeta.broker.testsupport.TestNames;
import io.estafeta.broker.Broker;
import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.config.ListenerConfig;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * MQTT.js (the npm package {@code mqtt}, installed by {@code npm ci} in src/test/node, which .ci/run does)
 * under Node talks MQTT over WebSocket to the broker while a Paho client uses TCP: each receives what the
 * other publishes.
 */
class WebSocketMqttJsTest {

    private static final Path NODE_PROJECT = Path.of("src", "test", "node");
    private static final Path SCRIPT = NODE_PROJECT.resolve("websocket-pubsub.js");
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String HOST = "127.0.0.1";

    @TempDir
    Path directory;

    private static boolean nodeInstalled() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String folder : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(folder, "node"))) {
                return true;
            }
        }
        return false;
    }

    @ParameterizedTest(name = "protocol version {0}")
    @ValueSource(ints = {4, 5})
    void mqttJsOverWebSocketAndPahoOverTcpReceiveEachOthersMessages(int protocolVersion) throws Exception {
        assumeTrue(nodeInstalled(), "node is not installed: the MQTT.js test needs Node.js on the PATH");
        assertThat(NODE_PROJECT.resolve("node_modules/mqtt"))
                .as("MQTT.js is missing: run 'npm ci' in estafeta-broker/src/test/node (.ci/run does)")
                .isDirectory();
        try (Broker broker = Broker.start(BrokerConfig.builder()
                .listeners(List.of(new ListenerConfig(0, HOST), ListenerConfig.websockets(0, HOST)))
                .allowAnonymous(true)
                .dataDirectory(directory)
                .sysInterval(Duration.ZERO)
                .build())) {
            int tcpPort = broker.boundAddresses().get(0).getPort();
            int wsPort = broker.boundAddresses().get(1).getPort();
            String topic = TestNames.topic("mqttjs");
            List<String> pahoReceived = new CopyOnWriteArrayList<>();
            MqttClient paho = new MqttClient("tcp://" + HOST + ":" + tcpPort, TestNames.clientId("paho"),
                    new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setAutomaticReconnect(false);
            paho.connect(options);
            paho.subscribe(topic, 1, (t, message) -> pahoReceived.add(new String(message.getPayload(),
                    StandardCharsets.UTF_8)));

            Process node = new ProcessBuilder("node", SCRIPT.getFileName().toString(),
                    "ws://" + HOST + ":" + wsPort + "/mqtt", topic, Integer.toString(protocolVersion))
                    .directory(NODE_PROJECT.toFile())
                    .redirectErrorStream(true)
                    .start();
            List<String> output = new CopyOnWriteArrayList<>();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.add(line);
                    if (line.equals("subscribed")) {
                        paho.publish(topic, "from tcp".getBytes(StandardCharsets.UTF_8), 1, false);
                    }
                }
                assertThat(node.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            } finally {
                node.destroyForcibly();
                paho.disconnect();
                paho.close();
            }

            assertThat(output).contains("subscribed", "received from mqtt.js", "received from tcp");
            assertThat(node.exitValue()).as("node's output: %s", output).isZero();
            await().atMost(WAIT).until(() -> pahoReceived.contains("from mqtt.js"));
        }
    }
}
