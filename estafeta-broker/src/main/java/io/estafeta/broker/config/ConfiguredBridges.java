package io.estafeta.broker.config;

import io.estafeta.broker.config.BridgeConfig.Protocol;
import io.estafeta.broker.config.BridgeConfig.RestartTimeout;
import io.estafeta.broker.config.BridgeTopic.Direction;
import io.estafeta.client.ServerAddress;
import io.estafeta.protocol.Topics;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The bridges a configuration declares. As in Mosquitto, {@code connection NAME} opens a bridge and the
 * bridge directives after it (up to the next {@code connection}) belong to it; a bridge directive before
 * any {@code connection} is an error. docs/BRIDGES.md lists the directives.
 */
final class ConfiguredBridges {

    /** Mosquitto's default MQTT port, for an address without one. */
    private static final int DEFAULT_PORT = 1883;
    /** The empty-prefix marker of a {@code topic} line. */
    private static final String EMPTY_MARKER = "\"\"";
    private static final int MAX_TIMEOUT_SECONDS = 86_400;
    /** The keep-alive field is two bytes of seconds. */
    private static final int MAX_KEEP_ALIVE_SECONDS = 65535;
    private static final String ADDRESS_EXPECTATION = "one or more host[:port] addresses";
    private static final String TOPIC_EXPECTATION =
            "pattern [[[out|in|both] qos] local-prefix remote-prefix], with \"\" for an empty pattern or prefix";
    private static final String PROTOCOL_EXPECTATION = "mqttv31, mqttv311 or mqttv50";
    private static final String RESTART_EXPECTATION = "a delay in seconds, or a base and a cap in seconds (1 to "
            + MAX_TIMEOUT_SECONDS + ", cap not below base)";
    private static final String START_TYPE_EXPECTATION = "automatic, lazy or once";
    private static final String THRESHOLD_EXPECTATION = "a number of messages, 1 or more";
    private static final String IDLE_TIMEOUT_EXPECTATION = "a number of seconds, 1 or more";

    /** Bridge directives Mosquitto has and Estafeta ignores with a warning: they do not weaken security. */
    private static final Set<String> IGNORED = Set.of("bridge_attempt_unsubscribe", "bridge_outgoing_retain",
            "bridge_bind_address", "bridge_max_packet_size", "local_cleansession",
            "local_username", "local_password", "bridge_tls_version", "bridge_alpn");
    /** Bridge directives whose absence would make the link less secure than written: errors until supported. */
    private static final Set<String> REFUSED = Set.of("bridge_capath", "bridge_identity", "bridge_psk",
            "bridge_require_ocsp");

    /** Every directive that belongs to a bridge, {@code connection} included. */
    static final Set<String> DIRECTIVES;

    static {
        Set<String> all = new HashSet<>(Set.of("connection", "address", "addresses", "topic",
                "remote_username", "username", "remote_password", "password", "remote_clientid", "clientid",
                "local_clientid", "cleansession", "bridge_protocol_version", "try_private", "bridge_cafile",
                "bridge_certfile", "bridge_keyfile", "bridge_insecure", "keepalive_interval", "restart_timeout",
                "notifications", "notifications_local_only", "notification_topic", "start_type", "round_robin",
                "threshold", "idle_timeout"));
        all.addAll(IGNORED);
        all.addAll(REFUSED);
        DIRECTIVES = Set.copyOf(all);
    }

    /** A bridge being read. */
    private static final class Draft {
        private final String name;
        private final String where;
        private List<ServerAddress> addresses;
        private final List<BridgeTopic> topics = new ArrayList<>();
        private String remoteClientId;
        private String localClientId;
        private String remoteUsername;
        private String remotePassword;
        private String passwordWhere;
        private boolean cleanSession;
        private Protocol protocol = Protocol.MQTT_3_1_1;
        private boolean tryPrivate = true;
        private Path caFile;
        private Path certFile;
        private Path keyFile;
        private boolean insecure;
        private String tlsWhere;
        private Duration keepAlive = BridgeConfig.DEFAULT_KEEP_ALIVE;
        private RestartTimeout restartTimeout = RestartTimeout.DEFAULT;
        private boolean notifications = true;
        private boolean notificationsLocalOnly;
        private String notificationTopic;
        /** Mosquitto's default: the first address is the main one. */
        private boolean roundRobin;
        private BridgeConfig.StartType startType = BridgeConfig.Start.DEFAULT.type();
        private int threshold = BridgeConfig.Start.DEFAULT.threshold();
        private Duration idleTimeout = BridgeConfig.Start.DEFAULT.idleTimeout();

        Draft(String name, String where) {
            this.name = name;
            this.where = where;
        }
    }

    private final List<Draft> drafts = new ArrayList<>();
    private final Consumer<String> warnings;

    /** @param warnings receives a warning about one line, already prefixed with its place */
    ConfiguredBridges(Consumer<String> warnings) {
        this.warnings = warnings;
    }

    static boolean isBridgeDirective(String directive) {
        return DIRECTIVES.contains(directive);
    }

    void apply(ConfigLine line) throws ConfigException {
        if (line.directive().equals("connection")) {
            drafts.add(new Draft(ConfigValues.single(line, "a connection name"), line.where()));
            return;
        }
        if (drafts.isEmpty()) {
            throw line.problem(line.directive() + " belongs to a bridge: it must follow a 'connection NAME' line");
        }
        Draft bridge = drafts.getLast();
        switch (line.directive()) {
            case "address", "addresses" -> {
                if (bridge.addresses != null) {
                    throw line.problem("the addresses of bridge " + bridge.name + " are already given;"
                            + " list them all on one line");
                }
                bridge.addresses = addresses(line);
            }
            case "topic" -> bridge.topics.add(topic(line));
            case "remote_username", "username" -> bridge.remoteUsername = ConfigValues.single(line, "a user name");
            case "remote_password", "password" -> {
                bridge.remotePassword = ConfigValues.single(line, "a password");
                bridge.passwordWhere = line.where();
            }
            case "remote_clientid", "clientid" -> bridge.remoteClientId = ConfigValues.single(line, "a client id");
            case "local_clientid" -> bridge.localClientId = ConfigValues.single(line, "a client id");
            case "cleansession" -> bridge.cleanSession = ConfigValues.bool(line);
            case "bridge_protocol_version" -> bridge.protocol = protocol(line);
            case "try_private" -> bridge.tryPrivate = ConfigValues.bool(line);
            case "bridge_cafile" -> {
                bridge.caFile = ConfigValues.path(line, "a file path").toAbsolutePath();
                bridge.tlsWhere = line.where();
            }
            case "bridge_certfile" -> {
                bridge.certFile = ConfigValues.path(line, "a file path").toAbsolutePath();
                bridge.tlsWhere = bridge.tlsWhere == null ? line.where() : bridge.tlsWhere;
            }
            case "bridge_keyfile" -> {
                bridge.keyFile = ConfigValues.path(line, "a file path").toAbsolutePath();
                bridge.tlsWhere = bridge.tlsWhere == null ? line.where() : bridge.tlsWhere;
            }
            case "bridge_insecure" -> bridge.insecure = ConfigValues.bool(line);
            case "keepalive_interval" -> bridge.keepAlive = Duration.ofSeconds(ConfigValues.wholeNumber(line,
                    BridgeConfig.MIN_KEEP_ALIVE.toSeconds(), MAX_KEEP_ALIVE_SECONDS));
            case "restart_timeout" -> bridge.restartTimeout = restartTimeout(line);
            case "notifications" -> bridge.notifications = ConfigValues.bool(line);
            case "notifications_local_only" -> bridge.notificationsLocalOnly = ConfigValues.bool(line);
            case "notification_topic" -> {
                String topic = ConfigValues.single(line, "a topic name");
                if (!Topics.isValidTopicName(topic)) {
                    throw line.expected("a topic name without wildcards");
                }
                bridge.notificationTopic = topic;
            }
            case "start_type" -> bridge.startType = startType(line);
            case "threshold" -> bridge.threshold = (int) ConfigValues.wholeNumber(line, 1, Integer.MAX_VALUE,
                    THRESHOLD_EXPECTATION);
            case "idle_timeout" -> bridge.idleTimeout = Duration.ofSeconds(ConfigValues.wholeNumber(line, 1,
                    Integer.MAX_VALUE, IDLE_TIMEOUT_EXPECTATION));
            case "round_robin" -> bridge.roundRobin = ConfigValues.bool(line);
            default -> {
                if (REFUSED.contains(line.directive())) {
                    throw line.problem("'" + line.directive() + "' is not supported by Estafeta bridges yet;"
                            + " refusing to start rather than run without it");
                }
                warn(line, "'" + line.directive() + "' is not supported by Estafeta bridges (ignored)");
            }
        }
    }

    List<BridgeConfig> resolve() throws ConfigException {
        List<BridgeConfig> bridges = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, String> localIds = new HashMap<>();
        for (Draft draft : drafts) {
            String earlier = names.putIfAbsent(draft.name, draft.where);
            if (earlier != null) {
                throw new ConfigException(draft.where + ": a bridge named " + draft.name + " is already declared at "
                        + earlier);
            }
            BridgeConfig bridge = resolve(draft);
            String sameId = localIds.putIfAbsent(bridge.localClientId(), draft.where);
            if (sameId != null) {
                throw new ConfigException(draft.where + ": bridge " + draft.name + " has the local client id "
                        + bridge.localClientId() + " of the bridge at " + sameId + "; give one a local_clientid");
            }
            bridges.add(bridge);
        }
        return bridges;
    }

    private static BridgeConfig resolve(Draft draft) throws ConfigException {
        if (draft.addresses == null) {
            throw new ConfigException(draft.where + ": bridge " + draft.name + " needs an address line");
        }
        if (draft.remotePassword != null && draft.remoteUsername == null && draft.protocol != Protocol.MQTT_5) {
            throw new ConfigException(draft.passwordWhere + ": remote_password of bridge " + draft.name
                    + " needs a remote_username");
        }
        BridgeConfig.Tls tls = null;
        if (draft.tlsWhere != null) {
            if (draft.caFile == null) {
                throw new ConfigException(draft.tlsWhere + ": TLS for bridge " + draft.name + " needs bridge_cafile");
            }
            if ((draft.certFile == null) != (draft.keyFile == null)) {
                throw new ConfigException(draft.tlsWhere + ": bridge " + draft.name
                        + " needs both bridge_certfile and bridge_keyfile, or neither");
            }
            tls = new BridgeConfig.Tls(draft.caFile, draft.certFile, draft.keyFile, draft.insecure);
        }
        String remoteClientId = draft.remoteClientId != null ? draft.remoteClientId
                : hostName() + "." + draft.name;
        String localClientId = draft.localClientId != null ? draft.localClientId
                : BridgeConfig.LOCAL_CLIENT_ID_PREFIX + remoteClientId;
        String notificationTopic = draft.notificationTopic != null ? draft.notificationTopic
                : BridgeConfig.DEFAULT_NOTIFICATION_TOPIC.formatted(remoteClientId);
        return new BridgeConfig(draft.name, draft.addresses, draft.topics, remoteClientId, localClientId,
                draft.remoteUsername, draft.remotePassword, draft.cleanSession, draft.protocol, draft.tryPrivate, tls,
                draft.keepAlive, draft.restartTimeout, draft.notifications, draft.notificationsLocalOnly,
                notificationTopic, draft.roundRobin, BridgeConfig.MAIN_ADDRESS_PROBE_INTERVAL,
                new BridgeConfig.Start(draft.startType, draft.threshold, draft.idleTimeout));
    }

    /** Mosquitto's default remote client id starts with this machine's host name (looked up once). */
    private static String hostName() {
        return HostName.VALUE;
    }

    private static final class HostName {
        private static final String VALUE = lookUp();

        private static String lookUp() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "localhost";
            }
        }
    }

    private static List<ServerAddress> addresses(ConfigLine line) throws ConfigException {
        if (line.arguments().isEmpty()) {
            throw line.expected(ADDRESS_EXPECTATION);
        }
        List<ServerAddress> addresses = new ArrayList<>();
        for (String word : line.arguments()) {
            addresses.add(address(line, word));
        }
        return addresses;
    }

    /** {@code host}, {@code host:port}, {@code [v6]:port}, or a bare IPv6 address followed by {@code :port}. */
    private static ServerAddress address(ConfigLine line, String word) throws ConfigException {
        String host = word;
        int port = DEFAULT_PORT;
        int colon = word.lastIndexOf(':');
        if (word.startsWith("[")) {
            int close = word.indexOf(']');
            if (close < 0 || close + 1 >= word.length() || word.charAt(close + 1) != ':') {
                throw line.expected(ADDRESS_EXPECTATION + " ([IPv6]:port)");
            }
            host = word.substring(1, close);
            port = (int) ConfigValues.wholeNumber(line, word.substring(close + 2), 1, ConfigValues.MAX_PORT,
                    ADDRESS_EXPECTATION);
        } else if (colon >= 0) {
            host = word.substring(0, colon);
            port = (int) ConfigValues.wholeNumber(line, word.substring(colon + 1), 1, ConfigValues.MAX_PORT,
                    ADDRESS_EXPECTATION);
        }
        if (host.isEmpty()) {
            throw line.expected(ADDRESS_EXPECTATION);
        }
        return new ServerAddress(host, port);
    }

    /** {@code topic pattern [[[out|in|both] qos] local-prefix remote-prefix]}, as Mosquitto reads it. */
    private static BridgeTopic topic(ConfigLine line) throws ConfigException {
        List<String> words = line.arguments();
        if (words.isEmpty() || words.size() > 5) {
            throw line.expected(TOPIC_EXPECTATION);
        }
        String pattern = unquoted(words.get(0));
        Direction direction = Direction.OUT;
        int qos = 0;
        String localPrefix = "";
        String remotePrefix = "";
        if (words.size() > 1) {
            direction = switch (words.get(1).toLowerCase(Locale.ROOT)) {
                case "out" -> Direction.OUT;
                case "in" -> Direction.IN;
                case "both" -> Direction.BOTH;
                default -> throw line.problem("topic direction must be out, in or both, got '" + words.get(1) + "'");
            };
        }
        if (words.size() > 2) {
            qos = (int) ConfigValues.wholeNumber(line, words.get(2), 0, 2, "a QoS of 0, 1 or 2 after the direction");
        }
        if (words.size() > 3) {
            localPrefix = unquoted(words.get(3));
        }
        if (words.size() > 4) {
            remotePrefix = unquoted(words.get(4));
        }
        for (String prefix : List.of(localPrefix, remotePrefix)) {
            if (!prefix.isEmpty() && !Topics.isValidTopicName(prefix)) {
                throw line.problem("topic prefix '" + prefix + "' must be a topic name without wildcards");
            }
        }
        if (pattern.isEmpty() && (localPrefix.isEmpty() || remotePrefix.isEmpty())) {
            // Mosquitto's table: an empty pattern remaps one topic and needs both prefixes.
            throw line.problem("an empty topic pattern (\"\") needs both a local and a remote prefix");
        }
        BridgeTopic topic = new BridgeTopic(pattern, direction, qos, localPrefix, remotePrefix);
        for (String filter : List.of(topic.localFilter(), topic.remoteFilter())) {
            if (!Topics.isValidTopicFilter(filter)) {
                throw line.problem("prefix and pattern make '" + filter + "', which is not a valid topic filter");
            }
        }
        return topic;
    }

    private static String unquoted(String word) {
        return word.equals(EMPTY_MARKER) ? "" : word;
    }

    private static Protocol protocol(ConfigLine line) throws ConfigException {
        String value = ConfigValues.single(line, PROTOCOL_EXPECTATION);
        for (Protocol protocol : Protocol.values()) {
            if (protocol.directiveValue().equals(value)) {
                return protocol;
            }
        }
        throw line.expected(PROTOCOL_EXPECTATION);
    }

    private static RestartTimeout restartTimeout(ConfigLine line) throws ConfigException {
        List<String> words = line.arguments();
        if (words.isEmpty() || words.size() > 2) {
            throw line.expected(RESTART_EXPECTATION);
        }
        long base = ConfigValues.wholeNumber(line, words.get(0), 1, MAX_TIMEOUT_SECONDS, RESTART_EXPECTATION);
        if (words.size() == 1) {
            return new RestartTimeout(Duration.ofSeconds(base), null);
        }
        long cap = ConfigValues.wholeNumber(line, words.get(1), base, MAX_TIMEOUT_SECONDS, RESTART_EXPECTATION);
        return new RestartTimeout(Duration.ofSeconds(base), Duration.ofSeconds(cap));
    }

    private static BridgeConfig.StartType startType(ConfigLine line) throws ConfigException {
        String value = ConfigValues.single(line, START_TYPE_EXPECTATION);
        for (BridgeConfig.StartType type : BridgeConfig.StartType.values()) {
            if (type.directiveValue().equals(value)) {
                return type;
            }
        }
        throw line.expected(START_TYPE_EXPECTATION);
    }

    private void warn(ConfigLine line, String text) {
        warnings.accept(line.where() + ": " + text);
    }
}
