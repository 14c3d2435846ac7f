package io.estafeta.broker.config;

import io.estafeta.broker.Broker;
import io.estafeta.broker.auth.PasswordHash;
import io.estafeta.broker.testsupport.Packets;
import io.estafeta.broker.testsupport.RawMqttConnection;
import io.estafeta.testkit.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/examples/hardened.conf, the configuration docs/SECURITY.md recommends, starts a broker: only its
 * paths are pointed at files made here and its ports at free ones; every other line is used as written.
 */
class HardenedExampleConfigTest {

    /** Maven runs the tests in the module's directory. */
    private static final Path EXAMPLE = Path.of("..", "docs", "examples", "hardened.conf");
    private static final int NOT_AUTHORIZED = 0x05;
    private static final int IDENTIFIER_REJECTED = 0x02;

    @TempDir
    Path directory;

    @Test
    void theHardenedExampleLoadsWithoutWarningsAndStartsABroker() throws Exception {
        Path etc = Files.createDirectories(directory.resolve("etc"));
        TestCertificates certificates = TestCertificates.authority(Files.createDirectory(etc.resolve("tls")));
        certificates.issue("server", "DNS:localhost,IP:127.0.0.1");
        Files.writeString(etc.resolve("passwd"),
                "alice:" + PasswordHash.create("wonderland".getBytes(StandardCharsets.UTF_8), 1000).encoded() + "\n");
        Files.writeString(etc.resolve("acl"), "user alice\ntopic readwrite alice/#\n");
        String text = Files.readString(EXAMPLE)
                .replace("/etc/estafeta/", etc + "/")
                .replace("/var/lib/estafeta", directory.resolve("data").toString())
                .replace("listener 1883 127.0.0.1", "listener 0 127.0.0.1")
                .replace("listener 8883", "listener 0 127.0.0.1");
        Path conf = Files.writeString(directory.resolve("hardened.conf"), text);

        ParsedConfig parsed = ConfigParser.parse(conf);

        assertThat(parsed.warnings()).isEmpty();
        BrokerConfig config = parsed.config();
        assertThat(config.allowAnonymous()).isFalse();
        assertThat(config.listeners().get(1).tls()).isNotNull();
        assertThat(config.trafficLimits().maxConnectionsPerAddress()).isPositive();
        assertThat(config.trafficLimits().limitsPublishRate()).isTrue();
        try (Broker broker = Broker.start(config)) {
            InetSocketAddress local = broker.boundAddresses().getFirst();
            try (RawMqttConnection alice = RawMqttConnection.open(local, null, 0)) {
                alice.connectAccepted(Packets.connect("alice-1").username("alice").password("wonderland"));
                alice.subscribe(1, "alice/#", 0);
                alice.publishQos0("alice/notes", "hello");
                assertThat(alice.receivePublishAndAcknowledge().payloadAsString()).isEqualTo("hello");
            }
            try (RawMqttConnection anonymous = RawMqttConnection.open(local, null, 0)) {
                assertThat(anonymous.connect(Packets.connect("nobody")).returnCode()).isEqualTo(NOT_AUTHORIZED);
            }
            try (RawMqttConnection nameless = RawMqttConnection.open(local, null, 0)) {
                assertThat(nameless.connect(Packets.connect("").username("alice").password("wonderland"))
                        .returnCode()).isEqualTo(IDENTIFIER_REJECTED);
            }
        }
    }
}
