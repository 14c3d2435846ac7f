package io.estafeta.broker.config;

import io.estafeta.broker.Broker;
import io.estafeta.broker.auth.PasswordHash;
import io.estafeta.broker.testsupport.Packets;
import io.estafeta.broker.testsupport.RawMqttConnection;
import io.estafeta.testkit.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Mosquitto's own configuration files (test resources under {@code mosquitto/}, copied from Debian's
 * package) and a hand-written mosquitto.conf with the directives Mosquitto users write: they load, with
 * warnings only for what Estafeta does not implement, each naming file and line.
 */
class RealMosquittoConfTest {

    /** A warning: "FILE:LINE: text". */
    private static final Pattern WARNING = Pattern.compile("(.+):(\\d+): (.+)");
    /** A commented-out setting of the annotated example: "#directive value". */
    private static final Pattern COMMENTED_SETTING = Pattern.compile("(?m)^#([a-z_][a-z0-9_.]*) (\\S.*)$");
    private static final String BRIDGES_SECTION = "# Bridges";

    @TempDir
    Path directory;

    @Test
    void debiansMosquittoConfLoadsWithAWarningForEachDirectiveEstafetaDoesNotImplement() throws Exception {
        Path conf = resource("debian-mosquitto.conf");
        // Its include_dir names /etc/mosquitto/conf.d: pointed at an empty directory of our own instead,
        // on the same line, so that the test does not depend on the machine's /etc.
        Path confDir = Files.createDirectory(directory.resolve("conf.d"));
        Files.writeString(conf, Files.readString(conf).replace("include_dir /etc/mosquitto/conf.d",
                "include_dir " + confDir));

        ParsedConfig parsed = ConfigParser.parse(conf);

        assertThat(parsed.warnings()).containsExactly(
                conf + ":6: 'pid_file' is accepted but not implemented (ignored): start Estafeta from a service"
                        + " manager (systemd) that writes the pid file and runs it as the user you want",
                conf + ":11: 'log_dest' is accepted but not implemented (ignored): Estafeta logs through"
                        + " SLF4J/Logback; set the destination and format in logback.xml");
        assertThat(parsed.config().persistence()).isTrue();
        assertThat(parsed.config().dataDirectory()).isEqualTo(Path.of("/var/lib/mosquitto"));
    }

    @Test
    void theMachinesOwnMosquittoConfLoadsWhereMosquittoIsInstalled() throws Exception {
        Path conf = Path.of("/etc/mosquitto/mosquitto.conf");
        assumeTrue(Files.isReadable(conf) && Files.isDirectory(Path.of("/etc/mosquitto/conf.d")),
                "Debian's mosquitto package is not installed");

        ParsedConfig parsed = ConfigParser.parse(conf);

        assertEveryWarningNamesFileAndLine(parsed);
    }

    @Test
    void theAnnotatedExampleLoadsAsTheDefaults() throws Exception {
        ParsedConfig parsed = ConfigParser.parse(resource("mosquitto.conf.example"));

        // Every setting in it is commented out: what is left is the defaults.
        assertThat(parsed.warnings()).isEmpty();
        assertThat(parsed.config()).isEqualTo(ConfigParser.parse("", "empty").config());
    }

    @Test
    void theAnnotatedExampleWithEveryDefaultWrittenOutWarnsOnlyAboutWhatEstafetaDoesNotImplement() throws Exception {
        Path conf = resource("mosquitto.conf.example");
        String text = Files.readString(conf);
        int bridges = text.indexOf(BRIDGES_SECTION);
        // What a user gets by removing the '#' of each "#directive value" line above the bridge section
        // (bridges are not supported), with "#listener" given a port. Line numbers stay as they were.
        String uncommented = COMMENTED_SETTING.matcher(text.substring(0, bridges)).replaceAll("$1 $2")
                .replace("\n#listener\n", "\nlistener 0\n") + text.substring(bridges);
        Files.writeString(conf, uncommented);

        ParsedConfig parsed = ConfigParser.parse(conf);

        assertEveryWarningNamesFileAndLine(parsed);
        assertThat(parsed.warnings()).extracting(RealMosquittoConfTest::directiveOf).containsExactlyInAnyOrder(
                // Values that differ from what Estafeta does, and Estafeta does not let them change it.
                "check_retain_source", "set_tcp_nodelay", "user", "autosave_interval",
                "autosave_on_changes", "persistence_file", "log_dest", "log_timestamp",
                // libwebsockets' own logging: Estafeta's WebSocket listeners log through SLF4J.
                "websockets_log_level");
        BrokerConfig config = parsed.config();
        assertThat(config.listeners()).containsExactly(new ListenerConfig(0, null));
        assertThat(config.maxInflightMessages()).isEqualTo(20);
        assertThat(config.maxQueuedMessages()).isEqualTo(1000);
        assertThat(config.persistence()).isFalse();
        assertThat(config.allowAnonymous()).isFalse();
    }

    @Test
    void aHandWrittenMosquittoConfWithTheCommonDirectivesStartsABrokerWithThoseSettings() throws Exception {
        TestCertificates certificates = TestCertificates.authority(Files.createDirectory(directory.resolve("tls")));
        Path[] server = certificates.issue("server", "DNS:localhost,IP:127.0.0.1");
        Path passwd = Files.writeString(directory.resolve("passwd"),
                "juan:" + PasswordHash.create("123".getBytes(StandardCharsets.UTF_8), 1000).encoded() + "\n");
        Path acl = Files.writeString(directory.resolve("acl"), "user juan\ntopic readwrite sensors/#\n");
        Path confDir = Files.createDirectory(directory.resolve("conf.d"));
        Files.writeString(confDir.resolve("limits.conf"), "max_queued_messages 500\n");
        Path conf = Files.writeString(directory.resolve("mosquitto.conf"), """
                # /etc/mosquitto/mosquitto.conf, as a Mosquitto user would write it
                per_listener_settings false
                pid_file /run/mosquitto/mosquitto.pid
                persistence true
                persistence_location %1$s/data/
                autosave_interval 1800
                log_dest file /var/log/mosquitto/mosquitto.log
                log_type error
                log_type warning
                log_type notice
                connection_messages true

                port 0
                bind_address 127.0.0.1
                max_connections 100

                listener 0 127.0.0.1
                cafile %2$s
                certfile %3$s
                keyfile %4$s
                require_certificate true
                use_identity_as_username true
                tls_version tlsv1.2
                max_connections 50

                allow_anonymous false
                password_file %5$s
                acl_file %6$s
                allow_zero_length_clientid false
                auto_id_prefix auto-

                max_inflight_messages 10
                max_queued_bytes 1048576
                queue_qos0_messages false
                max_packet_size 65536
                message_size_limit 32768
                max_keepalive 120
                retain_available true
                persistent_client_expiration 2w
                set_tcp_nodelay true
                upgrade_outgoing_qos false

                include_dir %7$s
                """.formatted(directory, certificates.caFile(), server[0], server[1], passwd, acl, confDir));

        ParsedConfig parsed = ConfigParser.parse(conf);

        assertEveryWarningNamesFileAndLine(parsed);
        assertThat(parsed.warnings()).extracting(RealMosquittoConfTest::directiveOf)
                .containsExactly("pid_file", "autosave_interval", "log_dest");
        BrokerConfig config = parsed.config();
        assertThat(config.maxInflightMessages()).isEqualTo(10);
        assertThat(config.maxQueuedMessages()).isEqualTo(500);
        assertThat(config.maxPacketSize()).isEqualTo(65536);
        assertThat(config.messageSizeLimit()).isEqualTo(32768);
        assertThat(config.maxKeepalive()).isEqualTo(120);
        assertThat(config.persistentClientExpiration()).isEqualTo(Duration.ofDays(14));
        assertThat(config.listeners()).hasSize(2);
        assertThat(config.listeners().get(1).tls().useIdentityAsUsername()).isTrue();
        try (Broker broker = Broker.start(config)) {
            InetSocketAddress plain = broker.boundAddresses().getFirst();
            try (RawMqttConnection juan = RawMqttConnection.open(plain, null, 0)) {
                juan.connectAccepted(Packets.connect("juan-laptop").username("juan").password("123"));
                juan.subscribe(1, "sensors/#", 1);
                juan.publishQos0("sensors/1", "21.5");
                assertThat(juan.receivePublishAndAcknowledge().payloadAsString()).isEqualTo("21.5");
            }
            try (RawMqttConnection anonymous = RawMqttConnection.open(plain, null, 0)) {
                assertThat(anonymous.connect(Packets.connect("anonymous")).returnCode()).isNotZero();
            }
        }
    }

    private static void assertEveryWarningNamesFileAndLine(ParsedConfig parsed) {
        for (String warning : parsed.warnings()) {
            Matcher matcher = WARNING.matcher(warning);
            assertThat(matcher.matches()).as(warning).isTrue();
            assertThat(Path.of(matcher.group(1))).as(warning).exists();
        }
    }

    /** The directive a warning is about: the first word in quotes. */
    private static String directiveOf(String warning) {
        return warning.replaceFirst("^[^']*'([^']+)'.*$", "$1");
    }

    private Path resource(String name) throws IOException {
        Path copy = directory.resolve(name);
        try (InputStream in = RealMosquittoConfTest.class.getResourceAsStream("/mosquitto/" + name)) {
            assertThat(in).as("test resource mosquitto/%s", name).isNotNull();
            Files.copy(in, copy);
        }
        return copy;
    }
}
