package io.estafeta.broker.config;

import io.estafeta.broker.config.BridgeTopic.Direction;
import io.estafeta.client.ServerAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BridgeConfigParserTest {

    private static final String SOURCE = "bridges.conf";

    private static ParsedConfig parse(String... lines) throws ConfigException {
        return ConfigParser.parse(String.join("\n", lines), SOURCE);
    }

    private static BridgeConfig onlyBridge(String... lines) throws ConfigException {
        List<BridgeConfig> bridges = parse(lines).config().bridges();
        assertThat(bridges).hasSize(1);
        return bridges.getFirst();
    }

    @Test
    void bridgeWithOnlyAnAddressGetsMosquittosDefaults() throws Exception {
        BridgeConfig bridge = onlyBridge("connection hq", "address broker.example:8883");

        String host = InetAddress.getLocalHost().getHostName();
        assertThat(bridge.addresses()).containsExactly(new ServerAddress("broker.example", 8883));
        assertThat(bridge.remoteClientId()).isEqualTo(host + ".hq");
        assertThat(bridge.localClientId()).isEqualTo("local." + host + ".hq");
        assertThat(bridge.notificationTopic()).isEqualTo("$SYS/broker/connection/" + host + ".hq/state");
        assertThat(bridge.notifications()).isTrue();
        assertThat(bridge.cleanSession()).isFalse();
        assertThat(bridge.tryPrivate()).isTrue();
        assertThat(bridge.protocol()).isEqualTo(BridgeConfig.Protocol.MQTT_3_1_1);
        assertThat(bridge.keepAlive()).isEqualTo(Duration.ofSeconds(60));
        assertThat(bridge.restartTimeout()).isEqualTo(BridgeConfig.RestartTimeout.DEFAULT);
        assertThat(bridge.tls()).isNull();
        assertThat(bridge.topics()).isEmpty();
        // Mosquitto: round_robin false, start_type automatic, threshold 10, idle_timeout 60 (mosquitto.conf(5)).
        assertThat(bridge.roundRobin()).isFalse();
        assertThat(bridge.mainAddressProbeInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(bridge.start()).isEqualTo(new BridgeConfig.Start(BridgeConfig.StartType.AUTOMATIC, 10,
                Duration.ofSeconds(60)));
    }

    @Test
    void everySupportedDirectiveIsRead() throws Exception {
        BridgeConfig bridge = onlyBridge(
                "connection hq",
                "addresses 10.0.0.1 [::1]:1884 ::2:1885",
                "topic sensors/# out 1 site/ hq/site/",
                "remote_clientid edge-1",
                "local_clientid bridge-local",
                "remote_username edge",
                "remote_password secret",
                "cleansession true",
                "bridge_protocol_version mqttv50",
                "try_private false",
                "bridge_cafile ca.pem",
                "bridge_certfile client.pem",
                "bridge_keyfile client.key",
                "bridge_insecure true",
                "keepalive_interval 30",
                "restart_timeout 20",
                "notifications false",
                "notification_topic edge/state",
                "round_robin true",
                "start_type lazy",
                "threshold 3",
                "idle_timeout 15");

        assertThat(bridge.addresses()).containsExactly(new ServerAddress("10.0.0.1", 1883),
                new ServerAddress("::1", 1884), new ServerAddress("::2", 1885));
        assertThat(bridge.topics()).containsExactly(new BridgeTopic("sensors/#", Direction.OUT, 1, "site/", "hq/site/"));
        assertThat(bridge.remoteClientId()).isEqualTo("edge-1");
        assertThat(bridge.localClientId()).isEqualTo("bridge-local");
        assertThat(bridge.remoteUsername()).isEqualTo("edge");
        assertThat(bridge.remotePassword()).isEqualTo("secret");
        assertThat(bridge.cleanSession()).isTrue();
        assertThat(bridge.protocol()).isEqualTo(BridgeConfig.Protocol.MQTT_5);
        assertThat(bridge.tryPrivate()).isFalse();
        assertThat(bridge.tls().caFile()).isEqualTo(java.nio.file.Path.of("ca.pem").toAbsolutePath());
        assertThat(bridge.tls().insecure()).isTrue();
        assertThat(bridge.keepAlive()).isEqualTo(Duration.ofSeconds(30));
        assertThat(bridge.restartTimeout().isConstant()).isTrue();
        assertThat(bridge.restartTimeout().base()).isEqualTo(Duration.ofSeconds(20));
        assertThat(bridge.notifications()).isFalse();
        assertThat(bridge.notificationTopic()).isEqualTo("edge/state");
        assertThat(bridge.roundRobin()).isTrue();
        assertThat(bridge.start()).isEqualTo(new BridgeConfig.Start(BridgeConfig.StartType.LAZY, 3,
                Duration.ofSeconds(15)));
        assertThat(bridge.toString()).doesNotContain("secret");
    }

    @Test
    void topicLineDefaultsToOutAtQos0WithoutPrefixes() throws Exception {
        BridgeConfig bridge = onlyBridge("connection a", "address h", "topic a/#", "topic b/+ in", "topic c both 2");

        assertThat(bridge.topics()).containsExactly(
                new BridgeTopic("a/#", Direction.OUT, 0, "", ""),
                new BridgeTopic("b/+", Direction.IN, 0, "", ""),
                new BridgeTopic("c", Direction.BOTH, 2, "", ""));
    }

    @Test
    void quotedEmptyMarkerStandsForAnEmptyPatternOrPrefix() throws Exception {
        BridgeConfig bridge = onlyBridge("connection a", "address h",
                "topic \"\" in 1 local/clients/total $SYS/broker/clients/total",
                "topic x/# out 0 \"\" remote/");

        assertThat(bridge.topics()).containsExactly(
                new BridgeTopic("", Direction.IN, 1, "local/clients/total", "$SYS/broker/clients/total"),
                new BridgeTopic("x/#", Direction.OUT, 0, "", "remote/"));
    }

    @Test
    void severalConnectionsEachTakeTheLinesBelowThem() throws Exception {
        List<BridgeConfig> bridges = parse("connection one", "address h1", "topic a", "max_queued_messages 5",
                "connection two", "address h2", "topic b in").config().bridges();

        assertThat(bridges).extracting(BridgeConfig::name).containsExactly("one", "two");
        assertThat(bridges.get(0).topics()).extracting(BridgeTopic::pattern).containsExactly("a");
        assertThat(bridges.get(1).topics()).extracting(BridgeTopic::pattern).containsExactly("b");
    }

    @Test
    void jitterRestartTimeoutKeepsBaseAndCap() throws Exception {
        BridgeConfig bridge = onlyBridge("connection a", "address h", "restart_timeout 10 60");

        assertThat(bridge.restartTimeout()).isEqualTo(
                new BridgeConfig.RestartTimeout(Duration.ofSeconds(10), Duration.ofSeconds(60)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"automatic, AUTOMATIC", "lazy, LAZY", "once, ONCE"})
    void everyStartTypeIsReadWithoutWarning(String value, BridgeConfig.StartType expected) throws Exception {
        ParsedConfig parsed = parse("connection a", "address h", "start_type " + value, "round_robin false");

        assertThat(parsed.warnings()).isEmpty();
        assertThat(parsed.config().bridges().getFirst().start().type()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "address h                              | 1 | must follow a 'connection NAME' line",
            "connection a                           | 1 | needs an address line",
            "connection a\\naddress h\\ntopic a sideways | 3 | topic direction must be out, in or both",
            "connection a\\naddress h\\ntopic a in 3   | 3 | QoS of 0, 1 or 2",
            "connection a\\naddress h\\ntopic \"\" in 0 local | 3 | needs both a local and a remote prefix",
            "connection a\\naddress h\\ntopic a in 0 l/+/ | 3 | must be a topic name without wildcards",
            "connection a\\naddress h\\ntopic # in 0 x/# | 3 | must be a topic name without wildcards",
            "connection a\\naddress h:99999          | 2 | address",
            "connection a\\naddress h\\naddress g      | 3 | already given",
            "connection a\\naddress h\\nbridge_protocol_version mqttv6 | 3 | mqttv31, mqttv311 or mqttv50",
            "connection a\\naddress h\\nkeepalive_interval 2 | 3 | keepalive_interval expects",
            "connection a\\naddress h\\nrestart_timeout 30 10 | 3 | restart_timeout expects",
            "connection a\\naddress h\\nbridge_certfile c.pem | 3 | needs bridge_cafile",
            "connection a\\naddress h\\nbridge_cafile ca.pem\\nbridge_certfile c.pem | 3 | both bridge_certfile and bridge_keyfile",
            "connection a\\naddress h\\nremote_password p | 3 | needs a remote_username",
            "connection a\\naddress h\\nbridge_psk 00ff | 3 | not supported by Estafeta bridges yet",
            "connection a\\naddress h\\nstart_type manual | 3 | automatic, lazy or once",
            "connection a\\naddress h\\nthreshold 0    | 3 | 1 or more",
            "connection a\\naddress h\\nidle_timeout 0 | 3 | 1 or more",
            "connection a\\naddress h\\nround_robin 1  | 3 | round_robin",
            "connection a\\naddress h\\nconnection a\\naddress g | 3 | already declared at bridges.conf:1",
            "connection a\\naddress h\\nlocal_clientid x\\nconnection b\\naddress g\\nlocal_clientid x | 4 | local client id x",
    })
    void badBridgeConfigurationNamesFileAndLine(String text, int line, String message) {
        assertThatThrownBy(() -> ConfigParser.parse(text.replace("\\n", "\n"), SOURCE))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(SOURCE + ":" + line + ":")
                .hasMessageContaining(message);
    }
}
