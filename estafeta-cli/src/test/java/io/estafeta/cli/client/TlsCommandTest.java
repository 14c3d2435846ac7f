package io.estafeta.cli.client;

import io.estafeta.testkit.MosquittoBroker;
import io.estafeta.testkit.TestCertificates;

import io.estafeta.cli.client.CommandRun.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --cafile}, {@code --cert}/{@code --key} and {@code --insecure} against Mosquitto's TLS listeners. */
class TlsCommandTest {

    @TempDir
    static Path directory;
    private static String caFile;
    private static Path[] client;
    private static MosquittoBroker namedForLoopback;
    private static MosquittoBroker namedOtherwise;

    @BeforeAll
    static void startBrokers() throws Exception {
        TestCertificates certificates = TestCertificates.authority(directory);
        caFile = certificates.caFile().toString();
        Path[] loopback = certificates.issue("server", "DNS:localhost,IP:127.0.0.1");
        Path[] other = certificates.issue("other", "DNS:other.invalid");
        client = certificates.issue("client", null);
        namedForLoopback = MosquittoBroker.start(directory, List.of("allow_anonymous true",
                "cafile " + caFile, "certfile " + loopback[0], "keyfile " + loopback[1], "require_certificate true"));
        namedOtherwise = MosquittoBroker.start(directory, List.of("allow_anonymous true",
                "certfile " + other[0], "keyfile " + other[1]));
    }

    @AfterAll
    static void stopBrokers() {
        if (namedForLoopback != null) {
            namedForLoopback.close();
        }
        if (namedOtherwise != null) {
            namedOtherwise.close();
        }
    }

    @Test
    void messageTravelsOverTlsWithAClientCertificate() throws Exception {
        String port = String.valueOf(namedForLoopback.port());
        CommandRun sub = CommandRun.sub("-h", "127.0.0.1", "-p", port, "--cafile", caFile,
                "--cert", client[0].toString(), "--key", client[1].toString(), "-t", "tls", "-C", "1").subscribed();

        Result pub = CommandRun.pub("-h", "127.0.0.1", "-p", port, "--cafile", caFile,
                "--cert", client[0].toString(), "--key", client[1].toString(), "-t", "tls", "-m", "secret");

        assertThat(pub).isEqualTo(new Result(0, "", ""));
        assertThat(sub.result().out()).isEqualTo("secret\n");
    }

    @Test
    void certificateForAnotherNameFailsUnlessInsecure() {
        String port = String.valueOf(namedOtherwise.port());

        Result checked = CommandRun.pub("-h", "127.0.0.1", "-p", port, "--cafile", caFile, "-t", "t", "-m", "x");
        Result insecure = CommandRun.pub("-h", "127.0.0.1", "-p", port, "--cafile", caFile, "--insecure",
                "-t", "t", "-m", "x");

        assertThat(checked.status()).isEqualTo(1);
        assertThat(checked.err()).startsWith("Error: TLS handshake failed: ");
        assertThat(insecure).isEqualTo(new Result(0, "", ""));
    }

    @Test
    void certificateWithoutTlsIsRefused() {
        Result pub = CommandRun.pub("-t", "t", "-m", "x", "--cert", client[0].toString(), "--key", client[1].toString());

        assertThat(pub.status()).isEqualTo(1);
        assertThat(pub.err()).startsWith("Error: --cert and --key need --cafile, --tls-use-os-certs or an mqtts:// URL.");
    }

    @Test
    void caFileThatHoldsNoCertificateIsReported(@TempDir Path dir) throws Exception {
        Path notPem = java.nio.file.Files.writeString(dir.resolve("ca.crt"), "not a certificate");

        Result pub = CommandRun.pub("-t", "t", "-m", "x", "--cafile", notPem.toString());

        assertThat(pub.status()).isEqualTo(1);
        assertThat(pub.err()).startsWith("Error: Problem setting TLS options: ");
    }

    @Test
    void missingCaFileIsReportedBeforeConnecting() {
        Result pub = CommandRun.pub("-t", "t", "-m", "x", "--cafile", "/no/such/ca.crt");

        assertThat(pub.status()).isEqualTo(1);
        assertThat(pub.err()).startsWith("Error: Problem setting TLS options: File not found.");
    }
}
