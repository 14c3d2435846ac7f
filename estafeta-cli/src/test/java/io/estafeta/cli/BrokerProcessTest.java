package io.estafeta.cli;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code estafeta broker} as a user runs it: a separate process, a real MQTT client, a signal to stop,
 * and the exit status and messages a script would see.
 */
class BrokerProcessTest {

    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+) \\(mqtt\\)");

    @TempDir
    Path dir;

    @Test
    void brokerRelaysAMessageThenStopsOnSigtermWithStatus0() throws Exception {
        try (BrokerProcess broker = BrokerProcess.start(dir, "broker", "-p", "0", "--data-dir", "data")) {
            Matcher listening = broker.awaitLog(LISTENING);
            int port = Integer.parseInt(listening.group(1));

            List<String> received = new CopyOnWriteArrayList<>();
            MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, "cli-test", new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            client.connect(options);
            client.subscribe("a/#", 1, (topic, message) ->
                    received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8)));
            client.publish("a/b", "hola".getBytes(StandardCharsets.UTF_8), 1, false);
            await().until(() -> received.contains("a/b hola"));
            client.disconnect();
            client.close();

            broker.terminate();

            assertThat(broker.awaitExit()).isZero();
            // The shutdown hook's last line made it out before the JVM ended.
            assertThat(broker.stderr()).contains("estafeta " + EstafetaVersion.current()).contains("stopped");
            assertThat(broker.stdout()).isEmpty();
        }
    }

    @Test
    void sigintStopsTheBrokerWithStatus0() throws Exception {
        try (BrokerProcess broker = BrokerProcess.start(dir, "broker", "-p", "0", "--data-dir", "data")) {
            broker.awaitLog(LISTENING);

            broker.signal("INT");

            assertThat(broker.awaitExit()).isZero();
            assertThat(broker.stderr()).contains("stopped");
        }
    }

    @Test
    void aConfigFilesWarningsArePrintedOnceEach() throws Exception {
        Path config = Files.writeString(dir.resolve("estafeta.conf"), """
                listener 0 127.0.0.1
                no_such_directive 1
                """);

        try (BrokerProcess broker = BrokerProcess.start(dir, "broker", "-c", config.toString())) {
            broker.awaitLog(LISTENING);

            assertThat(broker.stderr()).containsOnlyOnce("no_such_directive")
                    .contains("estafeta: warning: " + config + ":2: ");
            broker.terminate();
            assertThat(broker.awaitExit()).isZero();
        }
    }

    @Test
    void aBrokenConfigFileEndsWithStatus3AndItsFileAndLineOnStderr() throws Exception {
        Path config = Files.writeString(dir.resolve("broken.conf"), """
                listener 1883
                max_inflight_messages lots
                """);

        try (BrokerProcess broker = BrokerProcess.start(dir, "broker", "-c", config.toString())) {
            assertThat(broker.awaitExit()).isEqualTo(ExitStatus.CONFIGURATION);
            // The parser's message as is: FILE:LINE: what is wrong.
            assertThat(broker.stderr()).startsWith("estafeta: " + config + ":2: ").contains("max_inflight_messages");
        }
    }

    @Test
    void aPortInUseEndsWithStatus4NamingTheAddressAndPort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             BrokerProcess broker = BrokerProcess.start(dir, "broker", "-p", Integer.toString(taken.getLocalPort()))) {
            assertThat(broker.awaitExit()).isEqualTo(ExitStatus.CANNOT_START);
            assertThat(broker.stderr()).contains("estafeta: ").contains("127.0.0.1:" + taken.getLocalPort());
        }
    }
}
