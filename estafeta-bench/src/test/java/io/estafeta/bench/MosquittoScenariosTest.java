package io.estafeta.bench;

import io.estafeta.testkit.MosquittoBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The generator works against a broker that is not ours: Debian's Mosquitto (skipped where missing). */
class MosquittoScenariosTest {

    @TempDir
    Path directory;

    @Test
    void faninAtQos1AgainstMosquittoDeliversEveryMessageAtAModestRate() throws IOException {
        try (MosquittoBroker mosquitto = MosquittoBroker.start(directory)) {
            BenchRun run = BenchRun.against(mosquitto.port(), "fanin", "--publishers", "3", "--qos", "1",
                    "--rate", "1000");

            assertThat(run.status()).as(run.err() + mosquitto.logText()).isZero();
            assertThat(run.figure("totals", "published")).isPositive();
            assertThat(run.figure("totals", "received")).isEqualTo(run.figure("totals", "published"));
            assertThat(run.figure("totals", "acknowledged")).isEqualTo(run.figure("totals", "published"));
        }
    }

    @Test
    void pairsOverMqtt5AgainstMosquittoKeepWithinItsReceiveMaximum() throws IOException {
        // Mosquitto announces Receive Maximum 20 in CONNACK and disconnects a client that exceeds it
        // ([MQTT-3.3.4-7]): the window of 100 must be lowered to it.
        try (MosquittoBroker mosquitto = MosquittoBroker.start(directory)) {
            BenchRun run = BenchRun.against(mosquitto.port(), "pairs", "--pairs", "2", "--qos", "1",
                    "--protocol-version", "5", "--window", "100");

            assertThat(run.status()).as(run.err() + mosquitto.logText()).isZero();
            assertThat(run.figure("totals", "refused")).isZero();
            assertThat(run.figure("totals", "received")).isEqualTo(run.figure("totals", "published"));
        }
    }

    @Test
    void anUnreachableBrokerIsReportedWithStatusOne() throws IOException {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        BenchRun run = BenchRun.against(closedPort, "fanin", "--publishers", "1");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("cannot connect to 127.0.0.1:" + closedPort);
        assertThat(run.out()).isEmpty();
    }
}
