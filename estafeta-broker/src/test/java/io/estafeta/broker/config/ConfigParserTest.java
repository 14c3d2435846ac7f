package io.estafeta.broker.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigParserTest {

    private static final String SOURCE = "test.conf";

    private static ParsedConfig parsed(String... lines) throws ConfigException {
        return ConfigParser.parse(String.join("\n", lines), SOURCE);
    }

    private static BrokerConfig config(String... lines) throws ConfigException {
        ParsedConfig parsed = parsed(lines);
        assertThat(parsed.warnings()).isEmpty();
        return parsed.config();
    }

    private static String error(String... lines) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> parsed(lines));
        assertThat(thrown).isInstanceOf(ConfigException.class);
        return thrown.getMessage();
    }

    @Nested
    class Defaults {

        @Test
        void emptyTextGivesTheDefaultConfiguration() throws ConfigException {
            ParsedConfig parsed = ConfigParser.parse("", SOURCE);

            assertThat(parsed.config()).isEqualTo(BrokerConfig.defaults());
            assertThat(parsed.warnings()).isEmpty();
        }

        @Test
        void withoutListenersTheBrokerStaysLocalOnlyAndAllowsAnonymousClients() throws ConfigException {
            BrokerConfig config = config("# nothing but a comment", "", "max_keepalive 60");

            assertThat(config.listeners()).containsExactly(new ListenerConfig(1883, "127.0.0.1"));
            assertThat(config.allowAnonymous()).isTrue();
        }

        @Test
        void allowAnonymousFalseIsHonouredInLocalOnlyMode() throws ConfigException {
            BrokerConfig config = config("allow_anonymous false");

            assertThat(config.listeners()).containsExactly(new ListenerConfig(1883, "127.0.0.1"));
            assertThat(config.allowAnonymous()).isFalse();
        }
    }

    @Nested
    class Security {

        @Test
        void passwordAndAclFilesAreReadAsAbsolutePaths() throws ConfigException {
            BrokerConfig config = config("password_file /etc/estafeta/passwd", "acl_file /etc/estafeta/my acl");

            assertThat(config.passwordFile()).isEqualTo(Path.of("/etc/estafeta/passwd"));
            assertThat(config.aclFile()).isEqualTo(Path.of("/etc/estafeta/my acl"));
            assertThat(config.toBuilder().build()).isEqualTo(config);
        }

        @Test
        void relativeSecurityFilesAreResolvedAgainstTheWorkingDirectory() throws ConfigException {
            BrokerConfig config = config("password_file passwd", "acl_file conf/acl");

            assertThat(config.passwordFile()).isEqualTo(Path.of("passwd").toAbsolutePath());
            assertThat(config.aclFile()).isEqualTo(Path.of("conf/acl").toAbsolutePath());
        }

        @Test
        void withoutSecurityFilesThereAreNone() throws ConfigException {
            BrokerConfig config = config("max_keepalive 60");

            assertThat(config.passwordFile()).isNull();
            assertThat(config.aclFile()).isNull();
        }

        @Test
        void aPasswordFileTurnsAnonymousAccessOffEvenInLocalOnlyMode() throws ConfigException {
            BrokerConfig config = config("password_file /etc/estafeta/passwd");

            assertThat(config.listeners()).containsExactly(new ListenerConfig(1883, "127.0.0.1"));
            assertThat(config.allowAnonymous()).isFalse();
        }

        @Test
        void allowAnonymousTrueIsHonouredWithAPasswordFile() throws ConfigException {
            assertThat(config("allow_anonymous true", "password_file /p").allowAnonymous()).isTrue();
            assertThat(config("password_file /p", "allow_anonymous true").allowAnonymous()).isTrue();
        }

        @Test
        void anAclFileAloneLeavesAnonymousAccessAsItWas() throws ConfigException {
            assertThat(config("acl_file /etc/estafeta/acl").allowAnonymous()).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"password_file", "acl_file"})
        void aSecurityFileWithoutAPathIsAnError(String directive) {
            assertThat(error(directive)).isEqualTo("test.conf:1: " + directive + " expects a file path, got nothing");
        }
    }

    @Nested
    class Listeners {

        @Test
        void listenerLineReplacesTheLoopbackDefaultAndTurnsAnonymousAccessOff() throws ConfigException {
            BrokerConfig config = config("listener 1884");

            assertThat(config.listeners()).containsExactly(new ListenerConfig(1884, null));
            assertThat(config.allowAnonymous()).isFalse();
        }

        @Test
        void allowAnonymousTrueIsHonouredWithAListener() throws ConfigException {
            assertThat(config("listener 1884", "allow_anonymous true").allowAnonymous()).isTrue();
        }

        @Test
        void listenersKeepTheirBindAddressAndOrder() throws ConfigException {
            BrokerConfig config = config("listener 1884 127.0.0.1", "listener 1885", "listener 1884 ::1");

            assertThat(config.listeners()).containsExactly(
                    new ListenerConfig(1884, "127.0.0.1"), new ListenerConfig(1885, null),
                    new ListenerConfig(1884, "::1"));
        }

        @Test
        void portZeroMeansAnyFreePortAndMayBeGivenTwice() throws ConfigException {
            BrokerConfig config = config("listener 0 127.0.0.1", "listener 0 127.0.0.1");

            assertThat(config.listeners()).containsExactly(
                    new ListenerConfig(0, "127.0.0.1"), new ListenerConfig(0, "127.0.0.1"));
        }

        @Test
        void theSameListenerTwiceIsAnErrorNamingBothLines() {
            assertThat(error("listener 1884 127.0.0.1", "# between", "listener 1884 127.0.0.1"))
                    .isEqualTo("test.conf:3: the listener on 127.0.0.1:1884 is already configured at test.conf:1");
        }

        @Test
        void portConfiguresTheDefaultListenerOnEveryInterface() throws ConfigException {
            BrokerConfig config = config("port 1886");

            assertThat(config.listeners()).containsExactly(new ListenerConfig(1886, null));
            assertThat(config.allowAnonymous()).isFalse();
        }

        @Test
        void bindAddressRestrictsTheDefaultListener() throws ConfigException {
            assertThat(config("bind_address 10.0.0.1", "port 1886").listeners())
                    .containsExactly(new ListenerConfig(1886, "10.0.0.1"));
        }

        @Test
        void bindAddressAloneConfiguresTheDefaultListenerOnTheDefaultPort() throws ConfigException {
            BrokerConfig config = config("bind_address 10.0.0.1");

            assertThat(config.listeners()).containsExactly(new ListenerConfig(1883, "10.0.0.1"));
            assertThat(config.allowAnonymous()).isFalse();
        }

        @Test
        void aRepeatedPortReplacesTheEarlierOne() throws ConfigException {
            assertThat(config("port 1886", "port 1887").listeners()).containsExactly(new ListenerConfig(1887, null));
        }

        @Test
        void theDefaultListenerComesBeforeListenerLines() throws ConfigException {
            assertThat(config("listener 1884", "port 1886").listeners())
                    .containsExactly(new ListenerConfig(1886, null), new ListenerConfig(1884, null));
        }

        @Test
        void aListenerDuplicatingTheDefaultListenerIsAnError() {
            assertThat(error("port 1884", "listener 1884"))
                    .isEqualTo("test.conf:2: the listener on 0.0.0.0:1884 is already configured at test.conf:1");
        }

        @ParameterizedTest
        @ValueSource(strings = {"listener", "listener 65536", "listener -1", "listener http",
                "listener 1884 127.0.0.1 extra"})
        void aListenerWithoutAPortInRangeOrWithExtraWordsIsAnError(String line) {
            String got = line.equals("listener") ? "nothing" : "'" + line.substring("listener ".length()) + "'";
            assertThat(error(line)).isEqualTo("test.conf:1: listener expects a port (a whole number from 0 to 65535)"
                    + " and optionally a bind address, got " + got);
        }

        @Test
        void aUnixSocketListenerIsAnError() {
            assertThat(error("listener 0 /run/mosquitto.sock")).isEqualTo("test.conf:1: listener expects an IP"
                    + " address or host name, got '/run/mosquitto.sock' (Unix sockets are not supported)");
        }

        @Test
        void portOutOfRangeIsAnErrorNamingTheRange() {
            assertThat(error("port 70000"))
                    .isEqualTo("test.conf:1: port expects a whole number from 0 to 65535, got '70000'");
        }
    }

    @Nested
    class Values {

        @Test
        void everyDirectiveIsRead() throws ConfigException {
            BrokerConfig config = config(
                    "listener 1884",
                    "allow_anonymous true",
                    "max_inflight_messages 7",
                    "max_queued_messages 12",
                    "max_queued_bytes 5000000000",
                    "queue_qos0_messages true",
                    "max_keepalive 120",
                    "max_packet_size 4096",
                    "message_size_limit 2048",
                    "retain_available false",
                    "persistent_client_expiration 14d",
                    "connect_timeout 30",
                    "data_directory /var/lib/estafeta");

            assertThat(config.listeners()).containsExactly(new ListenerConfig(1884, null));
            assertThat(config.allowAnonymous()).isTrue();
            assertThat(config.maxInflightMessages()).isEqualTo(7);
            assertThat(config.maxQueuedMessages()).isEqualTo(12);
            assertThat(config.maxQueuedBytes()).isEqualTo(5_000_000_000L);
            assertThat(config.queueQos0Messages()).isTrue();
            assertThat(config.maxKeepalive()).isEqualTo(120);
            assertThat(config.maxPacketSize()).isEqualTo(4096);
            assertThat(config.messageSizeLimit()).isEqualTo(2048);
            assertThat(config.retainAvailable()).isFalse();
            assertThat(config.persistentClientExpiration()).isEqualTo(Duration.ofDays(14));
            assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(config.dataDirectory()).isEqualTo(Path.of("/var/lib/estafeta"));
            assertThat(config.toBuilder().build()).isEqualTo(config);
        }

        @Test
        void topicAndSubscriptionLimitsAreRead() throws ConfigException {
            BrokerConfig config = config("max_topic_alias 0", "max_topic_length 1024", "max_topic_levels 16",
                    "max_subscriptions_per_client 0");

            assertThat(config.maxTopicAlias()).isZero();
            assertThat(config.clientLimits()).isEqualTo(new ClientLimits(1024, 16, 0));
            assertThat(BrokerConfig.defaults().clientLimits()).isEqualTo(ClientLimits.DEFAULTS);
            assertThat(BrokerConfig.defaults().maxTopicAlias()).isEqualTo(BrokerConfig.DEFAULT_MAX_TOPIC_ALIAS);
        }

        @Test
        void trafficLimitsAreRead() throws ConfigException {
            BrokerConfig config = config("max_connections_total 5000", "max_connections_per_address 50",
                    "max_publish_rate 100", "max_publish_bytes_rate 1048576", "outbound_memory_budget 268435456");

            assertThat(config.trafficLimits()).isEqualTo(new TrafficLimits(5000, 50, 100, 1048576, 268435456));
            assertThat(BrokerConfig.defaults().trafficLimits()).isEqualTo(TrafficLimits.DEFAULTS);
            assertThat(config("outbound_memory_budget 0").trafficLimits().outboundMemoryBudget())
                    .isEqualTo(TrafficLimits.NO_LIMIT);
        }

        @Test
        void aTrafficLimitThatIsNotAWholeNumberNamesFileAndLine() {
            assertThat(error("", "max_connections_per_address -1"))
                    .startsWith("test.conf:2: max_connections_per_address expects");
            assertThat(error("max_publish_rate fast")).startsWith("test.conf:1: max_publish_rate expects");
        }

        @Test
        void clientIdDirectivesAreRead() throws ConfigException {
            BrokerConfig config = config("allow_zero_length_clientid false", "auto_id_prefix gen-",
                    "clientid_prefixes sensor-");

            assertThat(config.clientIds()).isEqualTo(new ClientIdRules(false, "gen-", List.of("sensor-")));
            assertThat(BrokerConfig.defaults().clientIds()).isEqualTo(ClientIdRules.DEFAULTS);
        }

        @Test
        void mosquittoDirectivesAtEstafetasBehaviourAreAcceptedSilently() throws ConfigException {
            config("set_tcp_nodelay true", "upgrade_outgoing_qos false", "check_retain_source false",
                    "memory_limit 0", "max_inflight_bytes 0", "max_qos 2");
        }

        @Test
        void mosquittoDirectivesEstafetaDoesNotImplementAreWarningsNamingFileAndLine() throws ConfigException {
            ParsedConfig parsed = parsed("pid_file /run/mosquitto.pid", "user mosquitto", "log_dest stderr",
                    "log_timestamp true", "autosave_interval 1800", "set_tcp_nodelay false", "memory_limit 1000000");

            assertThat(parsed.warnings()).hasSize(7);
            assertThat(parsed.warnings().getFirst())
                    .startsWith("test.conf:1: 'pid_file' is accepted but not implemented (ignored):");
            assertThat(parsed.warnings().getLast())
                    .startsWith("test.conf:7: 'memory_limit' is accepted but not implemented (ignored):")
                    .contains("outbound_memory_budget");
        }

        @Test
        void logTypesReplaceMosquittosDefaultsAndAccumulate() throws ConfigException {
            BrokerConfig config = config("log_type warning", "log_type subscribe", "connection_messages false");

            assertThat(config.logging().types())
                    .containsExactlyInAnyOrder(LoggingConfig.Type.WARNING, LoggingConfig.Type.SUBSCRIBE);
            assertThat(config.logging().connectionMessages()).isFalse();
            assertThat(config.logging().lowestSeverity()).isEqualTo(LoggingConfig.Severity.INFO);
            assertThat(config("").logging()).isEqualTo(LoggingConfig.DEFAULTS);
            assertThat(config("log_type none").logging().lowestSeverity()).isEqualTo(LoggingConfig.Severity.OFF);
            assertThat(config("log_type all").logging().lowestSeverity()).isEqualTo(LoggingConfig.Severity.DEBUG);
            assertThat(config("log_type error").logging().lowestSeverity()).isEqualTo(LoggingConfig.Severity.ERROR);
        }

        @Test
        void anUnknownLogTypeNamesTheValuesItExpects() {
            assertThat(error("log_type chatty")).startsWith("test.conf:1: log_type expects one of debug, error,");
        }

        @Test
        void topicLimitsOutOfRangeNameTheRange() {
            assertThat(error("max_topic_length 70000")).startsWith("test.conf:1: max_topic_length expects")
                    .contains("65535");
            assertThat(error("max_topic_levels 0")).startsWith("test.conf:1: max_topic_levels expects");
            assertThat(error("max_topic_alias 65536")).startsWith("test.conf:1: max_topic_alias expects");
        }

        @Test
        void booleansSetToTheOtherValueAreReadToo() throws ConfigException {
            BrokerConfig config = config("queue_qos0_messages false", "retain_available true",
                    "allow_anonymous false");

            assertThat(config.queueQos0Messages()).isFalse();
            assertThat(config.retainAvailable()).isTrue();
            assertThat(config.allowAnonymous()).isFalse();
        }

        @Test
        void zeroInflightMessagesMeansNoLimitWhichIsTheProtocolMaximum() throws ConfigException {
            assertThat(config("max_inflight_messages 0").maxInflightMessages()).isEqualTo(65535);
        }

        @Test
        void zeroQueuedMessagesMeansNoLimit() throws ConfigException {
            assertThat(config("max_queued_messages 0").maxQueuedMessages()).isEqualTo(Integer.MAX_VALUE);
        }

        @Test
        void zeroQueuedBytesMeansNoLimit() throws ConfigException {
            assertThat(config("max_queued_bytes 100", "max_queued_bytes 0").maxQueuedBytes()).isZero();
        }

        @Test
        void zeroKeepaliveMeansTheLargestKeepaliveAClientCanAskFor() throws ConfigException {
            assertThat(config("max_keepalive 0").maxKeepalive()).isEqualTo(65535);
        }

        @Test
        void zeroPacketSizeMeansTheProtocolMaximum() throws ConfigException {
            assertThat(config("max_packet_size 0").maxPacketSize()).isEqualTo(BrokerConfig.PROTOCOL_MAX_PACKET_SIZE);
        }

        @Test
        void theSmallestAndLargestPacketSizesAreAccepted() throws ConfigException {
            assertThat(config("max_packet_size 20").maxPacketSize()).isEqualTo(20);
            assertThat(config("max_packet_size 268435460").maxPacketSize()).isEqualTo(268_435_460);
        }

        @Test
        void aRepeatedDirectiveTakesTheLastValueWithoutWarning() throws ConfigException {
            assertThat(config("max_inflight_messages 5", "max_inflight_messages 9").maxInflightMessages())
                    .isEqualTo(9);
        }

        @ParameterizedTest
        @CsvSource({"90s, PT90S", "2h, PT2H", "3d, PT72H", "1w, PT168H", "2m, PT1440H", "1y, PT8760H"})
        void persistentClientExpirationUnitsAreSecondsHoursDaysWeeksMonthsAndYears(String value, Duration expected)
                throws ConfigException {
            assertThat(config("persistent_client_expiration " + value).persistentClientExpiration())
                    .isEqualTo(expected);
        }

        @ParameterizedTest
        @ValueSource(strings = {"10", "0d", "1.5h", "2 d", "10M", "10x", "d", "-1d", "99999999999999999999y"})
        void aMalformedPersistentClientExpirationIsAnError(String value) {
            assertThat(error("persistent_client_expiration " + value)).isEqualTo(
                    "test.conf:1: persistent_client_expiration expects a whole number above 0 followed by"
                            + " s (seconds), h (hours), d (days), w (weeks), m (months of 30 days)"
                            + " or y (years of 365 days), e.g. 14d, got '" + value + "'");
        }

        @Test
        void connectTimeoutIsInSeconds() throws ConfigException {
            assertThat(config("connect_timeout 3600").connectTimeout()).isEqualTo(Duration.ofHours(1));
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "3601"})
        void connectTimeoutOutsideOneSecondToOneHourIsAnError(String value) {
            assertThat(error("connect_timeout " + value))
                    .isEqualTo("test.conf:1: connect_timeout expects a whole number from 1 to 3600, got '" + value
                            + "'");
        }

        @Test
        void aRelativeDataDirectoryIsResolvedAgainstTheWorkingDirectory() throws ConfigException {
            assertThat(config("data_directory state/estafeta").dataDirectory())
                    .isAbsolute()
                    .isEqualTo(Path.of("").toAbsolutePath().resolve("state/estafeta"));
        }

        @Test
        void persistenceIsOnAndSyncedByDefaultUnlikeMosquitto() throws ConfigException {
            BrokerConfig config = config("");

            assertThat(config.persistence()).isTrue();
            assertThat(config.persistenceMode()).isEqualTo(PersistenceMode.SYNC);
            assertThat(config.persistenceSyncInterval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(config.persistenceMinFreeBytes()).isEqualTo(64L * 1024 * 1024);
        }

        @Test
        void persistenceDirectivesAreRead() throws ConfigException {
            BrokerConfig config = config("persistence false", "persistence_mode periodic",
                    "persistence_sync_interval 5", "persistence_min_free_space 1048576");

            assertThat(config.persistence()).isFalse();
            assertThat(config.persistenceMode()).isEqualTo(PersistenceMode.PERIODIC);
            assertThat(config.persistenceSyncInterval()).isEqualTo(Duration.ofSeconds(5));
            assertThat(config.persistenceMinFreeBytes()).isEqualTo(1_048_576);
            assertThat(config.toBuilder().build()).isEqualTo(config);
        }

        @Test
        void mosquittosPersistenceLocationSetsTheDataDirectory() throws ConfigException {
            assertThat(config("persistence_location /var/lib/mosquitto/").dataDirectory())
                    .isEqualTo(Path.of("/var/lib/mosquitto"));
        }

        @Test
        void theLastOfDataDirectoryAndPersistenceLocationWins() throws ConfigException {
            assertThat(config("data_directory /a", "persistence_location /b").dataDirectory())
                    .isEqualTo(Path.of("/b"));
            assertThat(config("persistence_location /b", "data_directory /a").dataDirectory())
                    .isEqualTo(Path.of("/a"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"always", "SYNC", "sync periodic"})
        void anUnknownPersistenceModeIsAnError(String value) {
            assertThat(error("persistence_mode " + value))
                    .isEqualTo("test.conf:1: persistence_mode expects sync or periodic, got '" + value + "'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "3601", "1s"})
        void aSyncIntervalOutsideOneSecondToOneHourIsAnError(String value) {
            assertThat(error("persistence_sync_interval " + value)).isEqualTo(
                    "test.conf:1: persistence_sync_interval expects a whole number from 1 to 3600, got '" + value
                            + "'");
        }

        @Test
        void aDataDirectoryMayContainSpacesAndHashes() throws ConfigException {
            assertThat(config("data_directory /srv/my data #1").dataDirectory())
                    .isEqualTo(Path.of("/srv/my data #1"));
        }
    }

    @Nested
    class BadValues {

        @Test
        void aWordWhereANumberBelongsIsAnErrorNamingFileLineAndRange() {
            assertThat(error("", "max_inflight_messages lots"))
                    .isEqualTo("test.conf:2: max_inflight_messages expects a whole number from 0 to 65535, got 'lots'");
        }

        @ParameterizedTest
        @CsvSource({
                "max_inflight_messages, 65536, 0, 65535",
                "max_inflight_messages, -1, 0, 65535",
                "max_inflight_messages, +5, 0, 65535",
                "max_inflight_messages, 1e3, 0, 65535",
                "max_inflight_messages, 0x10, 0, 65535",
                "max_queued_messages, 2147483648, 0, 2147483647",
                "max_queued_bytes, 99999999999999999999, 0, 9223372036854775807",
                "max_keepalive, 65536, 0, 65535",
                "message_size_limit, 268435456, 0, 268435455"})
        void aNumberThatIsNotAWholeDecimalInRangeIsAnErrorNamingTheRange(String directive, String value,
                                                                          long min, long max) {
            assertThat(error(directive + " " + value)).isEqualTo("test.conf:1: " + directive
                    + " expects a whole number from " + min + " to " + max + ", got '" + value + "'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"1", "19", "268435461"})
        void aPacketSizeOutsideItsRangeIsAnError(String value) {
            assertThat(error("max_packet_size " + value)).isEqualTo("test.conf:1: max_packet_size expects"
                    + " 0 (the protocol maximum) or a whole number from 20 to 268435460, got '" + value + "'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"yes", "TRUE", "1", "on"})
        void aBooleanOtherThanTrueOrFalseIsAnError(String value) {
            assertThat(error("allow_anonymous " + value))
                    .isEqualTo("test.conf:1: allow_anonymous expects true or false, got '" + value + "'");
        }

        @Test
        void aMissingValueIsAnError() {
            assertThat(error("max_keepalive"))
                    .isEqualTo("test.conf:1: max_keepalive expects a whole number from 0 to 65535, got nothing");
        }

        @Test
        void aMissingPathIsAnError() {
            assertThat(error("data_directory")).isEqualTo("test.conf:1: data_directory expects a directory path,"
                    + " got nothing");
        }

        @Test
        void anExtraValueIsAnError() {
            assertThat(error("retain_available true false"))
                    .isEqualTo("test.conf:1: retain_available expects true or false, got 'true false'");
        }

        @Test
        void aHashAfterAValueIsNotACommentButPartOfTheValue() {
            assertThat(error("queue_qos0_messages true # keep them"))
                    .isEqualTo("test.conf:1: queue_qos0_messages expects true or false, got 'true # keep them'");
        }
    }

    @Nested
    class Syntax {

        @Test
        void commentsBlankLinesTabsTrailingWhitespaceAndCrlfAreTolerated() throws ConfigException {
            String text = "# a comment\r\n\r\n   \t# an indented comment\r\n  \r\nmax_keepalive\t 60  \t\r\n"
                    + "  retain_available false\r\n";

            ParsedConfig parsed = ConfigParser.parse(text, SOURCE);

            assertThat(parsed.warnings()).isEmpty();
            assertThat(parsed.config().maxKeepalive()).isEqualTo(60);
            assertThat(parsed.config().retainAvailable()).isFalse();
        }

        @Test
        void lineNumbersCountCommentsAndBlankLinesWithCrlf() {
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                    () -> ConfigParser.parse("# one\r\n\r\nmax_keepalive 60\r\nmax_keepalive x\r\n", SOURCE));

            assertThat(thrown).hasMessage("test.conf:4: max_keepalive expects a whole number from 0 to 65535, got 'x'");
        }

        @Test
        void aByteOrderMarkAtTheStartIsSkipped() throws ConfigException {
            assertThat(config("\uFEFFmax_keepalive 60").maxKeepalive()).isEqualTo(60);
        }

        @Test
        void anUnknownDirectiveIsAWarningWithFileAndLine() throws ConfigException {
            ParsedConfig parsed = parsed("max_keepalive 60", "", "foo bar baz", "max_inflight_messages 3");

            assertThat(parsed.warnings()).containsExactly("test.conf:3: unknown directive 'foo' (ignored)");
            assertThat(parsed.config().maxKeepalive()).isEqualTo(60);
            assertThat(parsed.config().maxInflightMessages()).isEqualTo(3);
        }

        @Test
        void directiveNamesAreCaseSensitive() throws ConfigException {
            ParsedConfig parsed = parsed("Allow_anonymous false");

            assertThat(parsed.warnings()).containsExactly("test.conf:1: unknown directive 'Allow_anonymous' (ignored)");
            assertThat(parsed.config().allowAnonymous()).isTrue();
        }

        @Test
        void eachWarningIsLoggedAtWarn() throws ConfigException {
            Logger logger = (Logger) LoggerFactory.getLogger(ConfigParser.class);
            ListAppender<ILoggingEvent> appender = new ListAppender<>();
            appender.start();
            logger.addAppender(appender);
            try {
                parsed("foo 1", "bar 2");
            } finally {
                logger.detachAppender(appender);
            }

            assertThat(appender.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.WARN);
            assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                    "test.conf:1: unknown directive 'foo' (ignored)", "test.conf:2: unknown directive 'bar' (ignored)");
        }

        @ParameterizedTest
        @ValueSource(strings = {"plugin /usr/lib/auth.so", "auth_plugin /usr/lib/auth.so", "psk_file /etc/psk",
                "crlfile /etc/tls/revoked.pem", "capath /etc/ssl/certs", "mount_point tenant/", "per_listener_settings true"})
        void aProtectionEstafetaLacksIsAnErrorRatherThanAnIgnoredLine(String line) {
            assertThat(error(line)).isEqualTo("test.conf:1: '" + line + "' is not supported by Estafeta yet;"
                    + " refusing to start rather than run without it");
        }

        @Test
        void perListenerSettingsFalseIsWhatEstafetaDoes() throws ConfigException {
            assertThat(config("per_listener_settings false")).isEqualTo(BrokerConfig.defaults());
        }
    }

    @Nested
    class ListenerSettings {

        private static final Path CERT = Path.of("/etc/tls/server.crt");
        private static final Path KEY = Path.of("/etc/tls/server.key");
        private static final Path CA = Path.of("/etc/tls/ca.crt");

        @Test
        void certfileAndKeyfileAfterAListenerLineMakeItATlsListener() throws ConfigException {
            BrokerConfig config = config("listener 1883", "listener 8883", "certfile " + CERT, "keyfile " + KEY,
                    "allow_anonymous true");

            assertThat(config.listeners()).containsExactly(new ListenerConfig(1883, null),
                    new ListenerConfig(8883, null, TlsConfig.of(CERT, KEY), ListenerConfig.UNLIMITED));
        }

        @Test
        void everyTlsSettingBelongsToTheListenerAboveIt() throws ConfigException {
            BrokerConfig config = config("listener 8883 127.0.0.1", "cafile " + CA, "certfile " + CERT,
                    "keyfile " + KEY, "require_certificate true", "use_identity_as_username true",
                    "tls_version tlsv1.3", "ciphers TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256:TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                    "ciphers_tls1.3 TLS_AES_128_GCM_SHA256", "max_connections 10", "listener 1883",
                    "allow_anonymous true");

            TlsConfig tls = new TlsConfig(CERT, KEY, null, CA, true, true, List.of(TlsConfig.TLS_1_3),
                    List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
                    List.of("TLS_AES_128_GCM_SHA256"), null);
            assertThat(config.listeners()).containsExactly(new ListenerConfig(8883, "127.0.0.1", tls, 10),
                    new ListenerConfig(1883, null));
        }

        @Test
        void keystoreAndItsPasswordMakeATlsListener() throws ConfigException {
            Path store = Path.of("/etc/tls/server.p12");
            BrokerConfig config = config("listener 8883", "keystore " + store, "keystore_password two words");

            assertThat(config.listeners().getFirst().tls())
                    .isEqualTo(TlsConfig.ofKeyStore(store, Secret.of("two words")));
            assertThat(config.toString()).doesNotContain("two words");
        }

        @Test
        void keyfilePasswordBelongsToTheKeyfile() throws ConfigException {
            BrokerConfig config = config("listener 8883", "certfile " + CERT, "keyfile " + KEY,
                    "keyfile_password s3cret");

            assertThat(config.listeners().getFirst().tls())
                    .isEqualTo(TlsConfig.of(CERT, KEY).withKeyPassword(Secret.of("s3cret")));
        }

        @Test
        void aKeystoreWithoutAPasswordOrBesideACertfileIsAnErrorNamingTheLine() {
            assertThat(error("listener 8883", "keystore /etc/tls/server.p12"))
                    .startsWith("test.conf:2: keystore needs keystore_password");
            assertThat(error("listener 8883", "keystore /etc/tls/server.p12", "keystore_password x",
                    "certfile " + CERT)).startsWith("test.conf:4: certfile and keystore (test.conf:2)");
            assertThat(error("listener 8883", "keystore_password x"))
                    .startsWith("test.conf:2: keystore_password needs certfile and keyfile (or keystore)");
        }

        @Test
        void tlsVersionIsTheLowestVersionAccepted() throws ConfigException {
            BrokerConfig config = config("listener 8883", "certfile " + CERT, "keyfile " + KEY,
                    "tls_version tlsv1.2", "allow_anonymous true");

            assertThat(config.listeners().getFirst().tls().protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        }

        @ParameterizedTest
        @ValueSource(strings = {"tlsv1.1", "tlsv1", "sslv3", "TLSv1.2 TLSv1.3"})
        void aTlsVersionOtherThanTls12Or13IsAnError(String version) {
            assertThat(error("listener 8883", "certfile " + CERT, "keyfile " + KEY, "tls_version " + version))
                    .isEqualTo("test.conf:4: tls_version expects tlsv1.2 or tlsv1.3, got '" + version + "'");
        }

        @Test
        void certfileWithoutKeyfileIsAnErrorNamingTheLine() {
            assertThat(error("listener 8883", "certfile " + CERT, "listener 1883"))
                    .isEqualTo("test.conf:2: certfile needs keyfile on the same listener (0.0.0.0:8883)");
        }

        @Test
        void keyfileWithoutCertfileIsAnErrorNamingTheLine() {
            assertThat(error("listener 8883", "keyfile " + KEY))
                    .isEqualTo("test.conf:2: keyfile needs certfile on the same listener (0.0.0.0:8883)");
        }

        @Test
        void aKeyfileUnderAnotherListenerDoesNotCompleteTheFirst() {
            assertThat(error("listener 8883", "certfile " + CERT, "listener 8884", "keyfile " + KEY))
                    .isEqualTo("test.conf:2: certfile needs keyfile on the same listener (0.0.0.0:8883)");
        }

        @Test
        void aTlsSettingOnAListenerWithoutCertificateIsAnError() {
            assertThat(error("listener 1883", "require_certificate true"))
                    .isEqualTo("test.conf:2: require_certificate needs certfile and keyfile (or keystore) on the same"
                            + " listener (0.0.0.0:1883)");
        }

        @Test
        void requireCertificateNeedsACafile() {
            assertThat(error("listener 8883", "certfile " + CERT, "keyfile " + KEY, "require_certificate true"))
                    .isEqualTo("test.conf:4: require_certificate true needs cafile to check client certificates"
                            + " against");
        }

        @Test
        void useIdentityAsUsernameNeedsRequireCertificate() {
            assertThat(error("listener 8883", "certfile " + CERT, "keyfile " + KEY, "cafile " + CA,
                    "use_identity_as_username true"))
                    .isEqualTo("test.conf:5: use_identity_as_username true needs require_certificate true on the"
                            + " same listener");
        }

        @Test
        void settingsBeforeAnyListenerLineBelongToTheDefaultListener() throws ConfigException {
            BrokerConfig config = config("certfile " + CERT, "keyfile " + KEY, "port 8883", "max_connections 5",
                    "allow_anonymous true");

            assertThat(config.listeners()).containsExactly(
                    new ListenerConfig(8883, null, TlsConfig.of(CERT, KEY), 5));
        }

        @Test
        void aListenerSettingWithNoListenerAtAllIsAnError() {
            assertThat(error("max_connections 5"))
                    .isEqualTo("test.conf:1: max_connections belongs to a listener: put it after a listener line"
                            + " (or after port)");
        }

        @Test
        void maxConnectionsMinusOneMeansNoLimit() throws ConfigException {
            BrokerConfig config = config("listener 1883", "max_connections 3", "max_connections -1",
                    "allow_anonymous true");

            assertThat(config.listeners().getFirst().limitsConnections()).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"-2", "many", "1 2"})
        void aMalformedMaxConnectionsIsAnError(String value) {
            assertThat(error("listener 1883", "max_connections " + value)).startsWith(
                    "test.conf:2: max_connections expects -1 (no limit) or a whole number from 0 to ");
        }

        @Test
        void anEmptyCipherNameIsAnError() {
            assertThat(error("listener 8883", "ciphers A::B"))
                    .isEqualTo("test.conf:2: ciphers expects cipher suite names separated by ':', got 'A::B'");
        }
    }

    @Nested
    class WebSocketListeners {

        private static final Path CERT = Path.of("/etc/tls/server.crt");
        private static final Path KEY = Path.of("/etc/tls/server.key");

        @Test
        void protocolWebsocketsMakesTheListenerAboveItAWebSocketOneOnPathMqtt() throws ConfigException {
            BrokerConfig config = config("listener 1883", "listener 8080", "protocol websockets",
                    "allow_anonymous true");

            assertThat(config.listeners()).containsExactly(new ListenerConfig(1883, null),
                    ListenerConfig.websockets(8080, null));
            assertThat(config.listeners().get(1).websocketsPath()).isEqualTo("/mqtt");
        }

        @Test
        void websocketsPathChangesThePath() throws ConfigException {
            BrokerConfig config = config("listener 8080", "protocol websockets", "websockets_path /ws/mqtt",
                    "allow_anonymous true");

            assertThat(config.listeners().getFirst().websocketsPath()).isEqualTo("/ws/mqtt");
        }

        @Test
        void tlsSettingsMakeAWebSocketListenerSecure() throws ConfigException {
            BrokerConfig config = config("listener 8443", "protocol websockets", "certfile " + CERT,
                    "keyfile " + KEY, "max_connections 3", "allow_anonymous true");

            assertThat(config.listeners()).containsExactly(
                    ListenerConfig.websockets(8443, null).withTls(TlsConfig.of(CERT, KEY)).withMaxConnections(3));
            assertThat(config.listeners().getFirst().describe()).isEqualTo("0.0.0.0:8443 (wss /mqtt)");
        }

        @Test
        void protocolMqttIsTheDefault() throws ConfigException {
            assertThat(config("listener 1883", "protocol mqtt", "allow_anonymous true").listeners())
                    .containsExactly(new ListenerConfig(1883, null));
        }

        @ParameterizedTest
        @ValueSource(strings = {"http", "websocket", "MQTT"})
        void anUnknownProtocolIsAnError(String protocol) {
            assertThat(error("listener 8080", "protocol " + protocol))
                    .isEqualTo("test.conf:2: protocol expects mqtt or websockets, got '" + protocol + "'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"mqtt", "/mqtt?x=1", "/a#b"})
        void aWebsocketsPathThatIsNotAnAbsolutePathIsAnError(String path) {
            assertThat(error("listener 8080", "protocol websockets", "websockets_path " + path))
                    .isEqualTo("test.conf:3: websockets_path expects an HTTP path starting with '/', e.g. /mqtt,"
                            + " got '" + path + "'");
        }

        @Test
        void websocketsPathOnAnMqttListenerIsAnError() {
            assertThat(error("listener 1883", "websockets_path /mqtt"))
                    .isEqualTo("test.conf:2: websockets_path needs protocol websockets on the same listener"
                            + " (0.0.0.0:1883)");
        }
    }

    @Nested
    class SysAndLogging {

        @Test
        void sysIntervalIsTenSecondsByDefault() throws ConfigException {
            assertThat(config().sysInterval()).isEqualTo(Duration.ofSeconds(10));
            assertThat(config().publishesSysTopics()).isTrue();
        }

        @Test
        void sysIntervalSetsThePeriodAndZeroTurnsSysTopicsOff() throws ConfigException {
            assertThat(config("sys_interval 1").sysInterval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(config("sys_interval 0").publishesSysTopics()).isFalse();
        }

        @Test
        void aNegativeSysIntervalIsAnError() {
            assertThat(error("sys_interval -1")).startsWith("test.conf:1: sys_interval expects");
        }

        @Test
        void logFormatIsTextByDefaultAndJsonOnRequest() throws ConfigException {
            assertThat(config().logging().format()).isEqualTo(LoggingConfig.Format.TEXT);
            assertThat(config("log_format json").logging().format()).isEqualTo(LoggingConfig.Format.JSON);
            assertThat(config("log_format text").logging().format()).isEqualTo(LoggingConfig.Format.TEXT);
        }

        @Test
        void anUnknownLogFormatIsAnError() {
            assertThat(error("log_format xml")).isEqualTo("test.conf:1: log_format expects text or json, got 'xml'");
        }
    }

    @Nested
    class FilesOnDisk {

        @TempDir
        Path dir;

        @Test
        void aFileOnDiskIsReadAndNamedInWarnings() throws IOException, ConfigException {
            Path file = dir.resolve("estafeta.conf");
            Files.writeString(file, "# Estafeta\nlistener 0 127.0.0.1\nallow_anonymous true\nlog_colour true\n");

            ParsedConfig parsed = ConfigParser.parse(file);

            assertThat(parsed.config().listeners()).containsExactly(new ListenerConfig(0, "127.0.0.1"));
            assertThat(parsed.config().allowAnonymous()).isTrue();
            assertThat(parsed.warnings()).containsExactly(file + ":4: unknown directive 'log_colour' (ignored)");
        }

        @Test
        void anErrorInAFileNamesThePath() throws IOException {
            Path file = dir.resolve("estafeta.conf");
            Files.writeString(file, "listener 1884\nmax_keepalive forever\n");

            assertThatThrownBy(() -> ConfigParser.parse(file)).isInstanceOf(ConfigException.class)
                    .hasMessage(file + ":2: max_keepalive expects a whole number from 0 to 65535, got 'forever'");
        }

        @Test
        void aMissingFileIsAnErrorNamingIt() {
            Path missing = dir.resolve("missing.conf");

            assertThatThrownBy(() -> ConfigParser.parse(missing)).isInstanceOf(ConfigException.class)
                    .hasMessage("cannot read configuration file " + missing + ": no such file or directory");
        }

        @Test
        void aDirectoryGivenAsTheFileIsAnErrorNamingIt() {
            assertThatThrownBy(() -> ConfigParser.parse(dir)).isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("cannot read configuration file " + dir + ": ");
        }

        @Test
        void aFileThatIsNotUtf8IsAnError() throws IOException {
            Path file = dir.resolve("latin1.conf");
            Files.write(file, "data_directory /srv/caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

            assertThatThrownBy(() -> ConfigParser.parse(file)).isInstanceOf(ConfigException.class)
                    .hasMessage("cannot read configuration file " + file + ": not valid UTF-8 text");
        }
    }

    @Nested
    class IncludeDir {

        @TempDir
        Path dir;

        private Path directory(String name, String... files) throws IOException {
            Path d = Files.createDirectories(dir.resolve(name));
            for (String file : files) {
                Files.writeString(d.resolve(file), "marker_" + file.replace('.', '_') + " 1\n");
            }
            return d;
        }

        /** The included files' marker directives come back as warnings, in the order the files were read. */
        private static List<String> markers(ParsedConfig parsed) {
            return parsed.warnings().stream()
                    .map(w -> w.substring(w.indexOf("'marker_") + "'marker_".length(), w.lastIndexOf("_conf'")))
                    .toList();
        }

        @Test
        void filesAreReadInMosquittoOrderUpperCaseBeforeLowerCaseOfTheSameLetter() throws Exception {
            Path d = directory("conf.d", "b.conf", "A.conf", "01.conf", "a.conf", "B.conf", "00.conf", "_x.conf",
                    "Z.conf");

            ParsedConfig parsed = parsed("include_dir " + d);

            // The order mosquitto 2.0.11 itself printed for these names ("Loading config file ...").
            assertThat(markers(parsed)).containsExactly("00", "01", "A", "a", "B", "b", "Z", "_x");
        }

        @Test
        void warningsFromAnIncludedFileNameThatFileAndItsLine() throws Exception {
            Path d = directory("conf.d");
            Files.writeString(d.resolve("extra.conf"), "# first\nbogus 1\n");

            assertThat(parsed("include_dir " + d).warnings())
                    .containsExactly(d.resolve("extra.conf") + ":2: unknown directive 'bogus' (ignored)");
        }

        @Test
        void onlyFilesEndingInDotConfAreRead() throws Exception {
            Path d = directory("conf.d", "upper.CONF", "backup.conf.bak", "README", ".conf", "real.conf");

            assertThat(markers(parsed("include_dir " + d))).containsExactly("real");
        }

        @Test
        void includedFilesActAsIfWrittenAtTheIncludeLine() throws Exception {
            Path d = directory("conf.d");
            Files.writeString(d.resolve("keepalive.conf"), "max_keepalive 20\n");

            assertThat(config("max_keepalive 10", "include_dir " + d).maxKeepalive()).isEqualTo(20);
            assertThat(config("include_dir " + d, "max_keepalive 30").maxKeepalive()).isEqualTo(30);
        }

        @Test
        void severalIncludeDirsAreReadOneAfterTheOtherInTheirOrder() throws Exception {
            Path one = directory("one.d", "C.conf", "B.conf");
            Path two = directory("two.d", "D.conf", "A.conf");

            assertThat(markers(parsed("include_dir " + one, "include_dir " + two)))
                    .containsExactly("B", "C", "A", "D");
        }

        @Test
        void anErrorInAnIncludedFileNamesThatFileAndItsLine() throws Exception {
            Path d = directory("conf.d");
            Path broken = d.resolve("broken.conf");
            Files.writeString(broken, "max_keepalive 60\nmax_keepalive lots\n");

            assertThat(error("include_dir " + d))
                    .isEqualTo(broken + ":2: max_keepalive expects a whole number from 0 to 65535, got 'lots'");
        }

        @Test
        void aListenerRepeatedAcrossFilesIsAnErrorNamingBoth() throws Exception {
            Path d = directory("conf.d");
            Files.writeString(d.resolve("listeners.conf"), "listener 1884\n");

            assertThat(error("listener 1884", "include_dir " + d)).isEqualTo(d.resolve("listeners.conf")
                    + ":1: the listener on 0.0.0.0:1884 is already configured at test.conf:1");
        }

        @Test
        void aMissingDirectoryIsAnError() {
            Path missing = dir.resolve("nowhere");

            assertThat(error("include_dir " + missing)).isEqualTo("test.conf:1: include_dir expects a readable"
                    + " directory, got '" + missing + "' (no such file or directory)");
        }

        @Test
        void aDirectoryPathMayContainSpaces() throws Exception {
            Path d = directory("my conf.d", "spaced.conf");

            assertThat(markers(parsed("include_dir " + d))).containsExactly("spaced");
        }

        @Test
        void includeDirInAnIncludedFileIsIgnoredWithAWarning() throws Exception {
            Path d = directory("conf.d");
            Path nested = directory("nested.d", "deeper.conf");
            Files.writeString(d.resolve("inner.conf"), "include_dir " + nested + "\n");

            assertThat(parsed("include_dir " + d).warnings()).containsExactly(d.resolve("inner.conf")
                    + ":1: include_dir is only read in the main configuration file (ignored)");
        }

        @Test
        void anUnreadableIncludedFileIsAnErrorNamingTheIncludeLine() throws Exception {
            Path d = directory("conf.d");
            Path dangling = Files.createSymbolicLink(d.resolve("gone.conf"), dir.resolve("deleted.conf"));

            assertThat(error("# first", "include_dir " + d)).isEqualTo("test.conf:2: cannot read configuration file "
                    + dangling + ": no such file or directory");
        }

        @Test
        void aSubdirectoryNamedLikeAConfigFileIsAnError() throws Exception {
            Path d = directory("conf.d");
            Files.createDirectory(d.resolve("sub.conf"));

            assertThat(error("include_dir " + d)).isEqualTo("test.conf:1: include_dir found " + d.resolve("sub.conf")
                    + ", which is a directory, not a configuration file");
        }

        @Test
        void aDirectoryHoldingTheMainFileIsAnError() throws Exception {
            Path main = dir.resolve("main.conf");
            Files.writeString(main, "include_dir " + dir + "\n");

            assertThatThrownBy(() -> ConfigParser.parse(main)).isInstanceOf(ConfigException.class)
                    .hasMessage(main + ":1: include_dir '" + dir + "' contains the main configuration file " + main
                            + ", which would be read twice");
        }
    }
}
