package io.estafeta.broker.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a configuration file in Mosquitto's {@code mosquitto.conf} syntax into a {@link BrokerConfig}.
 *
 * <p>One {@code directive value...} per line, words separated by whitespace; a line whose first non-blank
 * character is {@code #} is a comment, and there are no comments after a value (a {@code #} there is part of
 * the value, as in Mosquitto). A directive given twice where one value makes sense: the last one wins.
 * An unknown directive is a warning; a missing, extra or malformed value is a {@link ConfigException}, and
 * the broker does not start. docs/CONFIG.md lists every directive and how it differs from Mosquitto.
 */
public final class ConfigParser {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigParser.class);

    private static final int NO_LIMIT = 0;
    private static final int MIN_CONNECT_TIMEOUT_SECONDS = 1;
    private static final int MAX_CONNECT_TIMEOUT_SECONDS = 3600;
    private static final int MIN_SYNC_INTERVAL_SECONDS = 1;
    private static final int MAX_SYNC_INTERVAL_SECONDS = 3600;
    private static final int MAX_SYS_INTERVAL_SECONDS = 86_400;
    private static final String LOG_FORMAT_EXPECTATION = "text or json";
    private static final String PERSISTENCE_MODE_EXPECTATION = "sync or periodic";

    private static final String LISTENER_EXPECTATION =
            "a port (" + ConfigValues.range(0, ConfigValues.MAX_PORT) + ") and optionally a bind address";
    private static final String BIND_ADDRESS_EXPECTATION = "an IP address or host name";
    private static final String PACKET_SIZE_EXPECTATION = "0 (the protocol maximum) or "
            + ConfigValues.range(BrokerConfig.SMALLEST_MAX_PACKET_SIZE, BrokerConfig.PROTOCOL_MAX_PACKET_SIZE);
    private static final String DIRECTORY_EXPECTATION = "a directory path";
    private static final String FILE_EXPECTATION = "a file path";
    private static final String TLS_VERSION_EXPECTATION = "tlsv1.2 or tlsv1.3";
    private static final String CIPHERS_EXPECTATION = "cipher suite names separated by ':'";
    private static final String MAX_CONNECTIONS_EXPECTATION = "-1 (no limit) or " + ConfigValues.range(0,
            Integer.MAX_VALUE);
    private static final String UNLIMITED = "-1";
    private static final String PROTOCOL_EXPECTATION = "mqtt or websockets";
    private static final String WEBSOCKETS_PATH_EXPECTATION = "an HTTP path starting with '/', e.g. /mqtt";
    private static final Pattern CIPHER_SEPARATOR = Pattern.compile(":");

    /**
     * Mosquitto directives that protect the broker (authentication, authorization, TLS, where to listen,
     * client isolation). Ignoring one with a warning would run a broker more open than its operator wrote,
     * so each is an error until Estafeta implements it.
     */
    private static final Set<String> UNSUPPORTED_PROTECTIONS = Set.of(
            "plugin", "auth_plugin",
            "psk_file", "psk_hint", "capath", "crlfile", "use_subject_as_username",
            "bind_interface", "mount_point");

    private final Path mainFile;
    private final BrokerConfig.Builder builder = BrokerConfig.builder();
    /** log_type values seen so far; null while none was given (Mosquitto's defaults then apply). */
    private EnumSet<LoggingConfig.Type> logTypes;
    private boolean connectionMessages = LoggingConfig.DEFAULTS.connectionMessages();
    private LoggingConfig.Format logFormat = LoggingConfig.DEFAULTS.format();
    private final ConfiguredListeners listeners = new ConfiguredListeners();
    private final HttpSettings http = new HttpSettings();
    private final List<String> warnings = new ArrayList<>();
    private final ConfiguredBridges bridges = new ConfiguredBridges(this::warning);

    private ConfigParser(Path mainFile) {
        this.mainFile = mainFile;
    }

    /**
     * Reads a configuration file (UTF-8).
     *
     * @throws ConfigException if the file cannot be read or holds a line the broker cannot run with
     */
    public static ParsedConfig parse(Path file) throws ConfigException {
        String text;
        try {
            text = read(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + describe(e), e);
        }
        return new ConfigParser(file).run(text, file.toString());
    }

    /**
     * Reads configuration text.
     *
     * @param sourceName what messages call the text, e.g. its file's path
     * @throws ConfigException if a line holds something the broker cannot run with
     */
    public static ParsedConfig parse(String text, String sourceName) throws ConfigException {
        return new ConfigParser(null).run(text, sourceName);
    }

    private ParsedConfig run(String text, String sourceName) throws ConfigException {
        readLines(text, sourceName, true);
        List<ListenerConfig> configured = listeners.resolve();
        if (!configured.isEmpty()) {
            // Leaves local-only mode: anonymous access is then off unless allow_anonymous says otherwise.
            builder.listeners(configured);
        }
        builder.http(http.resolve(this::warn));
        builder.bridges(bridges.resolve());
        builder.logging(new LoggingConfig(logTypes == null ? LoggingConfig.DEFAULTS.types() : logTypes,
                connectionMessages, logFormat));
        return new ParsedConfig(builder.build(), warnings);
    }

    /** {@code log_type TYPE}: may be repeated; the first one replaces Mosquitto's default set. */
    private void logType(ConfigLine line) throws ConfigException {
        String expectation = "one of debug, error, warning, notice, information, subscribe, unsubscribe,"
                + " websockets, none, all";
        String value = ConfigValues.single(line, expectation);
        LoggingConfig.Type type = null;
        for (LoggingConfig.Type candidate : LoggingConfig.Type.values()) {
            if (candidate.directiveValue().equals(value)) {
                type = candidate;
            }
        }
        if (type == null) {
            throw line.expected(expectation);
        }
        if (logTypes == null) {
            logTypes = EnumSet.noneOf(LoggingConfig.Type.class);
        }
        logTypes.add(type);
    }

    private void readLines(String text, String source, boolean inMainFile) throws ConfigException {
        ConfigText.forEachLine(text, (number, content) -> apply(ConfigLine.of(source, number, content), inMainFile));
    }

    private void apply(ConfigLine line, boolean inMainFile) throws ConfigException {
        if (ConfiguredBridges.isBridgeDirective(line.directive())) {
            bridges.apply(line);
            return;
        }
        switch (line.directive()) {
            case "listener" -> listener(line);
            // Listener settings: they belong to the listener line above them (ConfiguredListeners).
            // Resolved now, like data_directory; the files themselves are read when the broker starts.
            case "certfile" -> listeners.certFile(ConfigValues.path(line, FILE_EXPECTATION).toAbsolutePath(), line);
            case "keyfile" -> listeners.keyFile(ConfigValues.path(line, FILE_EXPECTATION).toAbsolutePath(), line);
            // The rest of the line, so that a password may contain spaces; never logged (Secret).
            case "keyfile_password" -> listeners.keyFilePassword(Secret.of(ConfigValues.rest(line, "a password")), line);
            case "keystore" -> listeners.keyStore(ConfigValues.path(line, FILE_EXPECTATION).toAbsolutePath(), line);
            case "keystore_password" -> listeners.keyStorePassword(Secret.of(ConfigValues.rest(line, "a password")),
                    line);
            case "cafile" -> listeners.caFile(ConfigValues.path(line, FILE_EXPECTATION).toAbsolutePath(), line);
            case "require_certificate" -> listeners.requireCertificate(ConfigValues.bool(line), line);
            case "use_identity_as_username" -> listeners.useIdentityAsUsername(ConfigValues.bool(line), line);
            case "tls_version" -> listeners.protocols(tlsVersion(line), line);
            case "ciphers" -> listeners.ciphers(ciphers(line), line);
            case "ciphers_tls1.3" -> listeners.ciphersTls13(ciphers(line), line);
            case "max_connections" -> listeners.maxConnections(maxConnections(line), line);
            case "protocol" -> listeners.protocol(protocol(line), line);
            case "websockets_path" -> listeners.websocketsPath(websocketsPath(line), line);
            case "port" -> listeners.defaultPort(port(line), line);
            case "bind_address" -> listeners.defaultBindAddress(bindAddress(line, ConfigValues.single(line,
                    BIND_ADDRESS_EXPECTATION)), line);
            case "allow_anonymous" -> builder.allowAnonymous(ConfigValues.bool(line));
            // Resolved now, like data_directory; the files themselves are read when the broker starts.
            case "password_file" ->
                    builder.passwordFile(ConfigValues.path(line, FILE_EXPECTATION).toAbsolutePath());
            case "acl_file" -> builder.aclFile(ConfigValues.path(line, FILE_EXPECTATION).toAbsolutePath());
            // Mosquitto: 0 means no maximum; the protocol cannot express more than 65535 in flight.
            case "max_inflight_messages" -> builder.maxInflightMessages(noLimitAs(BrokerConfig.MAX_INFLIGHT_LIMIT,
                    wholeNumber(line, 0, BrokerConfig.MAX_INFLIGHT_LIMIT)));
            // Mosquitto: 0 means no maximum; BrokerConfig's own 0 would mean "queue nothing".
            case "max_queued_messages" -> builder.maxQueuedMessages(noLimitAs(Integer.MAX_VALUE,
                    wholeNumber(line, 0, Integer.MAX_VALUE)));
            // 0 means no maximum in both Mosquitto and BrokerConfig.
            case "max_queued_bytes" -> builder.maxQueuedBytes(ConfigValues.wholeNumber(line, 0, Long.MAX_VALUE));
            case "queue_qos0_messages" -> builder.queueQos0Messages(ConfigValues.bool(line));
            // 0 is taken as "no limit from the broker": the largest keep-alive a client can ask for.
            case "max_keepalive" -> builder.maxKeepalive(noLimitAs(BrokerConfig.MAX_KEEPALIVE_LIMIT,
                    wholeNumber(line, 0, BrokerConfig.MAX_KEEPALIVE_LIMIT)));
            case "max_packet_size" -> builder.maxPacketSize(maxPacketSize(line));
            case "message_size_limit" -> builder.messageSizeLimit(
                    wholeNumber(line, 0, BrokerConfig.PROTOCOL_MAX_PAYLOAD_SIZE));
            case "retain_available" -> builder.retainAvailable(ConfigValues.bool(line));
            case "max_topic_alias" -> builder.maxTopicAlias((int) ConfigValues.wholeNumber(line, 0,
                    BrokerConfig.MAX_TOPIC_ALIAS_LIMIT));
            // Estafeta's HTTP listener (docs/OPERATIONS.md); Mosquitto has no such directives.
            case "http_listener" -> http.listener(line, listenerPort(line), listenerAddress(line));
            case "http_certfile" -> http.certFile(ConfigValues.path(line, FILE_EXPECTATION).toAbsolutePath(), line);
            case "http_keyfile" -> http.keyFile(ConfigValues.path(line, FILE_EXPECTATION).toAbsolutePath(), line);
            case "admin_password_file" ->
                    http.adminPasswordFile(ConfigValues.path(line, FILE_EXPECTATION).toAbsolutePath(), line);
            case "admin_allow_anonymous" -> http.adminWithoutPassword(ConfigValues.bool(line), line);
            case "log_type" -> logType(line);
            case "connection_messages" -> connectionMessages = ConfigValues.bool(line);
            case "log_format" -> logFormat = logFormat(line);
            // Mosquitto: 0 turns the $SYS topics off.
            case "sys_interval" -> builder.sysInterval(Duration.ofSeconds(wholeNumber(line, 0, MAX_SYS_INTERVAL_SECONDS)));
            case "max_topic_length" -> builder.maxTopicLength((int) ConfigValues.wholeNumber(line, 1,
                    ClientLimits.PROTOCOL_MAX_TOPIC_LENGTH));
            case "max_topic_levels" -> builder.maxTopicLevels((int) ConfigValues.wholeNumber(line, 1, Integer.MAX_VALUE));
            case "max_subscriptions_per_client" -> builder.maxSubscriptionsPerClient(
                    (int) ConfigValues.wholeNumber(line, 0, Integer.MAX_VALUE));
            // Estafeta's limits against abusive clients (TrafficLimits); 0 means no limit.
            case "max_connections_total" -> {
                int value = (int) ConfigValues.wholeNumber(line, 0, Integer.MAX_VALUE);
                builder.trafficLimits(limits -> limits.withMaxConnectionsTotal(value));
            }
            case "max_connections_per_address" -> {
                int value = (int) ConfigValues.wholeNumber(line, 0, Integer.MAX_VALUE);
                builder.trafficLimits(limits -> limits.withMaxConnectionsPerAddress(value));
            }
            case "max_publish_rate" -> {
                long value = ConfigValues.wholeNumber(line, 0, Integer.MAX_VALUE);
                builder.trafficLimits(limits -> limits.withMaxPublishRate(value));
            }
            case "max_publish_bytes_rate" -> {
                long value = ConfigValues.wholeNumber(line, 0, Long.MAX_VALUE);
                builder.trafficLimits(limits -> limits.withMaxPublishBytesRate(value));
            }
            case "outbound_memory_budget" -> {
                long value = ConfigValues.wholeNumber(line, 0, Long.MAX_VALUE);
                builder.trafficLimits(limits -> limits.withOutboundMemoryBudget(value));
            }
            case "persistent_client_expiration" ->
                    builder.persistentClientExpiration(ConfigValues.expiration(line));
            case "connect_timeout" -> builder.connectTimeout(Duration.ofSeconds(
                    wholeNumber(line, MIN_CONNECT_TIMEOUT_SECONDS, MAX_CONNECT_TIMEOUT_SECONDS)));
            // Resolved now, so that logs show where state lives and a later change of directory is harmless.
            // Mosquitto's persistence_location names the same thing: where the store lives.
            case "data_directory", "persistence_location" ->
                    builder.dataDirectory(ConfigValues.path(line, DIRECTORY_EXPECTATION).toAbsolutePath());
            case "persistence" -> builder.persistence(ConfigValues.bool(line));
            case "persistence_mode" -> builder.persistenceMode(persistenceMode(line));
            case "persistence_min_free_space" -> builder.persistenceMinFreeBytes(
                    ConfigValues.wholeNumber(line, 0, Long.MAX_VALUE));
            case "persistence_sync_interval" -> builder.persistenceSyncInterval(Duration.ofSeconds(
                    wholeNumber(line, MIN_SYNC_INTERVAL_SECONDS, MAX_SYNC_INTERVAL_SECONDS)));
            case "include_dir" -> includeDirectory(line, inMainFile);
            case "per_listener_settings" -> {
                // Estafeta's settings are global, which is what per_listener_settings false means.
                if (ConfigValues.bool(line)) {
                    throw unsupported(line);
                }
            }
            case "allow_zero_length_clientid" -> {
                boolean allowed = ConfigValues.bool(line);
                builder.clientIds(rules -> rules.withAllowZeroLength(allowed));
            }
            case "auto_id_prefix" -> {
                String prefix = ConfigValues.single(line, "a client id prefix");
                builder.clientIds(rules -> rules.withAutoIdPrefix(prefix));
            }
            case "clientid_prefixes" -> {
                String prefix = ConfigValues.single(line, "a client id prefix");
                builder.clientIds(rules -> rules.withRequiredPrefixes(List.of(prefix)));
            }
            default -> {
                if (UNSUPPORTED_PROTECTIONS.contains(line.directive())) {
                    throw unsupported(line);
                }
                if (UnimplementedDirectives.contains(line.directive())) {
                    UnimplementedDirectives.warning(line).ifPresent(text -> warn(line, text));
                    return;
                }
                warn(line, "unknown directive '" + line.directive() + "' (ignored)");
            }
        }
    }

    /**
     * Mosquitto's tls_version is the lowest version a listener accepts; versions below TLS 1.2 are not
     * offered at all.
     */
    private static List<String> tlsVersion(ConfigLine line) throws ConfigException {
        return switch (ConfigValues.single(line, TLS_VERSION_EXPECTATION)) {
            case "tlsv1.2" -> TlsConfig.ALL_PROTOCOLS;
            case "tlsv1.3" -> List.of(TlsConfig.TLS_1_3);
            default -> throw line.expected(TLS_VERSION_EXPECTATION);
        };
    }

    private static List<String> ciphers(ConfigLine line) throws ConfigException {
        List<String> names = List.of(CIPHER_SEPARATOR.split(ConfigValues.single(line, CIPHERS_EXPECTATION)));
        if (names.isEmpty() || names.stream().anyMatch(String::isEmpty)) {
            throw line.expected(CIPHERS_EXPECTATION);
        }
        return names;
    }

    /** Estafeta's {@code log_format}: {@code text} (the default) or {@code json}. */
    private static LoggingConfig.Format logFormat(ConfigLine line) throws ConfigException {
        String value = ConfigValues.single(line, LOG_FORMAT_EXPECTATION);
        for (LoggingConfig.Format format : LoggingConfig.Format.values()) {
            if (format.directiveValue().equals(value)) {
                return format;
            }
        }
        throw line.expected(LOG_FORMAT_EXPECTATION);
    }

    /** Mosquitto's {@code protocol}: {@code mqtt} or {@code websockets}. */
    private static ListenerProtocol protocol(ConfigLine line) throws ConfigException {
        String value = ConfigValues.single(line, PROTOCOL_EXPECTATION);
        for (ListenerProtocol protocol : ListenerProtocol.values()) {
            if (protocol.directiveValue().equals(value)) {
                return protocol;
            }
        }
        throw line.expected(PROTOCOL_EXPECTATION);
    }

    /** Estafeta's {@code websockets_path}: an absolute HTTP path without query, e.g. {@code /mqtt}. */
    private static String websocketsPath(ConfigLine line) throws ConfigException {
        String value = ConfigValues.single(line, WEBSOCKETS_PATH_EXPECTATION);
        if (!value.startsWith("/") || value.indexOf('?') >= 0 || value.indexOf('#') >= 0) {
            throw line.expected(WEBSOCKETS_PATH_EXPECTATION);
        }
        return value;
    }

    private static int maxConnections(ConfigLine line) throws ConfigException {
        String value = ConfigValues.single(line, MAX_CONNECTIONS_EXPECTATION);
        if (value.equals(UNLIMITED)) {
            return ListenerConfig.UNLIMITED;
        }
        return (int) ConfigValues.wholeNumber(line, value, 0, Integer.MAX_VALUE, MAX_CONNECTIONS_EXPECTATION);
    }

    private void listener(ConfigLine line) throws ConfigException {
        listeners.add(listenerPort(line), listenerAddress(line), line);
    }

    /** The port of {@code listener PORT [ADDRESS]} or {@code http_listener PORT [ADDRESS]}. */
    private static int listenerPort(ConfigLine line) throws ConfigException {
        List<String> arguments = line.arguments();
        if (arguments.isEmpty() || arguments.size() > 2) {
            throw line.expected(LISTENER_EXPECTATION);
        }
        return (int) ConfigValues.wholeNumber(line, arguments.get(0), 0, ConfigValues.MAX_PORT,
                LISTENER_EXPECTATION);
    }

    /** The address of a listener line, or null when it names none. */
    private static String listenerAddress(ConfigLine line) throws ConfigException {
        List<String> arguments = line.arguments();
        return arguments.size() == 2 ? bindAddress(line, arguments.get(1)) : null;
    }

    private static PersistenceMode persistenceMode(ConfigLine line) throws ConfigException {
        return switch (ConfigValues.single(line, PERSISTENCE_MODE_EXPECTATION)) {
            case "sync" -> PersistenceMode.SYNC;
            case "periodic" -> PersistenceMode.PERIODIC;
            default -> throw line.expected(PERSISTENCE_MODE_EXPECTATION);
        };
    }

    private static int port(ConfigLine line) throws ConfigException {
        return wholeNumber(line, 0, ConfigValues.MAX_PORT);
    }

    private static String bindAddress(ConfigLine line, String address) throws ConfigException {
        // Mosquitto's "listener 0 /path" is a Unix socket; Estafeta listens on TCP only.
        if (address.contains("/")) {
            throw line.problem(line.directive() + " expects " + BIND_ADDRESS_EXPECTATION + ", got '" + address
                    + "' (Unix sockets are not supported)");
        }
        return address;
    }

    private static int maxPacketSize(ConfigLine line) throws ConfigException {
        int size = (int) ConfigValues.wholeNumber(line, 0, BrokerConfig.PROTOCOL_MAX_PACKET_SIZE,
                PACKET_SIZE_EXPECTATION);
        if (size != NO_LIMIT && size < BrokerConfig.SMALLEST_MAX_PACKET_SIZE) {
            throw line.expected(PACKET_SIZE_EXPECTATION);
        }
        return noLimitAs(BrokerConfig.PROTOCOL_MAX_PACKET_SIZE, size);
    }

    private static int wholeNumber(ConfigLine line, int min, int max) throws ConfigException {
        return (int) ConfigValues.wholeNumber(line, min, max);
    }

    /** Mosquitto writes "no limit" as 0; BrokerConfig wants the limit itself. */
    private static int noLimitAs(int limit, int value) {
        return value == NO_LIMIT ? limit : value;
    }

    /**
     * Mosquitto's include_dir: every {@code *.conf} file of the directory, in Mosquitto's order, read as if
     * its lines stood here. Only the main file may include; a relative directory is taken from the working
     * directory, as Mosquitto does.
     */
    private void includeDirectory(ConfigLine line, boolean inMainFile) throws ConfigException {
        if (!inMainFile) {
            // Mosquitto ignores it there too; this also rules out a directory including itself.
            warn(line, "include_dir is only read in the main configuration file (ignored)");
            return;
        }
        Path directory = ConfigValues.path(line, DIRECTORY_EXPECTATION);
        List<Path> files;
        try {
            files = IncludeDirectory.configFiles(directory);
        } catch (IOException e) {
            throw line.problem("include_dir expects a readable directory, got '" + line.value() + "' ("
                    + describe(e) + ")");
        }
        for (Path file : files) {
            if (Files.isDirectory(file)) {
                throw line.problem("include_dir found " + file + ", which is a directory, not a configuration file");
            }
            if (isMainFile(file, line)) {
                throw line.problem("include_dir '" + line.value() + "' contains the main configuration file "
                        + file + ", which would be read twice");
            }
            String text;
            try {
                text = read(file);
            } catch (IOException e) {
                throw line.problem("cannot read configuration file " + file + ": " + describe(e));
            }
            readLines(text, file.toString(), false);
        }
    }

    private boolean isMainFile(Path file, ConfigLine includeLine) throws ConfigException {
        try {
            return mainFile != null && Files.isSameFile(mainFile, file);
        } catch (IOException e) {
            throw includeLine.problem("cannot read configuration file " + file + ": " + describe(e));
        }
    }

    private static ConfigException unsupported(ConfigLine line) {
        String written = line.value().isEmpty() ? line.directive() : line.directive() + " " + line.value();
        return line.problem("'" + written + "' is not supported by Estafeta yet;"
                + " refusing to start rather than run without it");
    }

    void warn(ConfigLine line, String text) {
        warning(line.where() + ": " + text);
    }

    /** @param warning one line, starting with {@code FILE:LINE:} */
    private void warning(String warning) {
        LOG.warn("{}", warning);
        warnings.add(warning);
    }

    private static String read(Path file) throws IOException {
        // Strict UTF-8: a malformed byte is an error rather than a silently replaced character.
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof CharacterCodingException) {
            return "not valid UTF-8 text";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
