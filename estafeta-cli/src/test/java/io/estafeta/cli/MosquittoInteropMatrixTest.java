package io.estafeta.cli;

import io.estafeta.broker.Broker;
import io.estafeta.broker.config.BrokerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Interop with Debian's Mosquitto clients, both ways, at QoS 0, 1 and 2 and MQTT 3.1, 3.1.1 and 5.0:
 * {@code estafeta pub} (a real process, started as bin/estafeta starts it) publishes and {@code mosquitto_sub}
 * receives, and {@code mosquitto_pub} publishes and {@code estafeta sub} receives, through one Estafeta broker.
 * Each received line is checked for topic, QoS and payload (non-ASCII text with spaces). One subscriber
 * process per version and direction serves the three QoS levels, to keep the number of JVMs down.
 */
class MosquittoInteropMatrixTest {

    private static final Path MOSQUITTO_PUB = Path.of("/usr/bin/mosquitto_pub");
    private static final Path MOSQUITTO_SUB = Path.of("/usr/bin/mosquitto_sub");
    private static final List<Integer> QOS_LEVELS = List.of(0, 1, 2);
    /** The same format on both sides: topic, QoS, payload. */
    private static final String FORMAT = "%t %q %p";
    /** A bound against hanging on a loaded machine, not a speed check. */
    private static final Duration PATIENCE = Duration.ofMinutes(1);
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(250);

    @TempDir
    static Path dir;
    private static Broker broker;
    private static String port;

    @BeforeAll
    static void startBroker() {
        assumeTrue(Files.isExecutable(MOSQUITTO_PUB) && Files.isExecutable(MOSQUITTO_SUB),
                "Debian's mosquitto-clients are not installed");
        broker = Broker.start(BrokerConfig.builder().localOnlyPort(0).persistence(false)
                .dataDirectory(dir.resolve("data")).build());
        port = Integer.toString(broker.port());
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest(name = "MQTT {0}: estafeta pub at QoS 0/1/2 -> mosquitto_sub")
    @ValueSource(strings = {"31", "311", "5"})
    void mosquittoSubReceivesWhatEstafetaPubSends(String version) throws Exception {
        String base = "interop/" + version + "/to-mosquitto";
        Path out = dir.resolve("mosquitto_sub-" + version + ".out");
        Process sub = start(out, MOSQUITTO_SUB.toString(), "-h", "127.0.0.1", "-p", port, "-V", mosquittoVersion(version),
                "-q", "2", "-t", base + "/#", "-F", FORMAT);
        try {
            awaitSubscribed(out, base);

            for (int qos : QOS_LEVELS) {
                Path step = Files.createDirectories(dir.resolve("pub-" + version + "-" + qos));
                try (BrokerProcess pub = BrokerProcess.start(step, "pub", "-h", "127.0.0.1", "-p", port,
                        "-V", version, "-q", Integer.toString(qos), "-t", base + "/q" + qos, "-m", payload(qos))) {
                    assertThat(pub.awaitExit()).as(pub.stderr()).isZero();
                }
            }

            awaitEveryQosLevel(out, base);
        } finally {
            sub.destroy();
        }
    }

    @ParameterizedTest(name = "MQTT {0}: mosquitto_pub at QoS 0/1/2 -> estafeta sub")
    @ValueSource(strings = {"31", "311", "5"})
    void estafetaSubReceivesWhatMosquittoPubSends(String version) throws Exception {
        String base = "interop/" + version + "/to-estafeta";
        Path step = Files.createDirectories(dir.resolve("sub-" + version));
        try (BrokerProcess sub = BrokerProcess.start(step, "sub", "-h", "127.0.0.1", "-p", port, "-V", version,
                "-q", "2", "-t", base + "/#", "-F", FORMAT)) {
            Path out = step.resolve("estafeta.out");
            awaitSubscribed(out, base);

            for (int qos : QOS_LEVELS) {
                run(MOSQUITTO_PUB.toString(), "-h", "127.0.0.1", "-p", port, "-V", mosquittoVersion(version),
                        "-q", Integer.toString(qos), "-t", base + "/q" + qos, "-m", payload(qos));
            }

            awaitEveryQosLevel(out, base);
            assertThat(sub.stderr()).isEmpty();
        }
    }

    /** Non-ASCII and blanks, different for each QoS, so that a mix-up shows. */
    private static String payload(int qos) {
        return "año " + qos + " – grüße";
    }

    private static String mosquittoVersion(String version) {
        return "mqttv" + version;
    }

    /**
     * The subscriber's SUBSCRIBE may still be on its way when its process is running: publish probes (QoS 0,
     * mosquitto_pub) until one is printed, so that the messages under test are not lost to that race.
     */
    private void awaitSubscribed(Path out, String base) {
        await().atMost(PATIENCE).pollInterval(PROBE_INTERVAL).until(() -> {
            run(MOSQUITTO_PUB.toString(), "-h", "127.0.0.1", "-p", port, "-q", "0", "-t", base + "/probe",
                    "-m", "probe");
            return read(out).contains(base + "/probe 0 probe");
        });
    }

    private static void awaitEveryQosLevel(Path out, String base) {
        await().atMost(PATIENCE).untilAsserted(() -> {
            List<String> lines = read(out).lines().filter(line -> !line.startsWith(base + "/probe")).toList();
            // Each from its own publisher process: they arrive in the order sent, but nothing promises it.
            assertThat(lines).containsExactlyInAnyOrder(
                    base + "/q0 0 " + payload(0),
                    base + "/q1 1 " + payload(1),
                    base + "/q2 2 " + payload(2));
        });
    }

    private static Process start(Path out, String... command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        assertThat(process.exitValue()).as("%s: %s", String.join(" ", command), output).isZero();
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
