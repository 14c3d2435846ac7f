package io.estafeta.broker.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Every setting of the broker, read once (by {@link ConfigParser} or built in code) and never changed.
 * No other class reads configuration files or system properties for settings.
 *
 * <p>Defaults follow Mosquitto 2 where it has the same setting, so that a Mosquitto user finds what
 * they expect: with no listener configured the broker listens on 127.0.0.1:1883 only and allows
 * anonymous clients; once a listener or a password file is configured, anonymous access must be allowed
 * explicitly.
 *
 * @param listeners                  where to accept connections; never empty
 * @param allowAnonymous             whether clients without a username may connect
 * @param passwordFile               the password file (Mosquitto's format) clients with a username are checked
 *                                   against; {@code null} for none
 * @param aclFile                    the access control list (Mosquitto's acl_file syntax); {@code null} for none,
 *                                   which lets every client use every topic
 * @param maxInflightMessages        outgoing QoS 1/2 messages awaiting acknowledgement, per client
 * @param maxQueuedMessages          QoS 1/2 messages queued per client beyond the in-flight ones
 * @param maxQueuedBytes             bytes of payload queued per client; 0 means no byte limit
 * @param queueQos0Messages          whether QoS 0 messages are queued for offline persistent clients
 * @param maxKeepalive               the largest keep-alive (seconds) accepted from a client
 * @param maxPacketSize              the largest packet (bytes, whole packet) accepted from a client
 * @param messageSizeLimit           the largest PUBLISH payload (bytes) accepted; a larger message is not
 *                                   forwarded, but its QoS flow is completed (Mosquitto's message_size_limit);
 *                                   0 means no limit beyond the packet size
 * @param retainAvailable            whether retained messages are supported
 * @param persistentClientExpiration how long an offline persistent session is kept; {@code null} = forever
 * @param connectTimeout             how long a new connection may take to send CONNECT
 * @param dataDirectory              where durable state lives
 * @param maxTopicAlias              MQTT 5 topic aliases a client may use towards the broker (0: none)
 * @param clientLimits               topic length and depth, subscriptions per client
 * @param logging                    {@code log_type} and {@code connection_messages}
 * @param persistence                whether sessions and retained messages are stored in {@code dataDirectory}
 *                                   and survive a restart (true by default, unlike Mosquitto)
 * @param persistenceMode            when a stored write counts as done: synced to disk, or synced periodically
 * @param persistenceSyncInterval    how often writes are synced in {@link PersistenceMode#PERIODIC} mode
 * @param persistenceMinFreeBytes    free disk space the store keeps in reserve: below it, new messages are refused
 * @param sysInterval                how often the broker publishes its {@code $SYS} topics; zero for never
 * @param trafficLimits              connections per address and in total, publish rate, outbound memory budget
 * @param clientIds                  which client ids are accepted, and how assigned ones start
 * @param http                       the HTTP listener (metrics, admin API, dashboard), or {@code null} for none
 * @param bridges                    links to other brokers ({@code connection} blocks), see docs/BRIDGES.md
 */
public record BrokerConfig(
        List<ListenerConfig> listeners,
        boolean allowAnonymous,
        Path passwordFile,
        Path aclFile,
        int maxInflightMessages,
        int maxQueuedMessages,
        long maxQueuedBytes,
        boolean queueQos0Messages,
        int maxKeepalive,
        int maxPacketSize,
        int messageSizeLimit,
        boolean retainAvailable,
        Duration persistentClientExpiration,
        Duration connectTimeout,
        Path dataDirectory,
        int maxTopicAlias,
        ClientLimits clientLimits,
        LoggingConfig logging,
        boolean persistence,
        PersistenceMode persistenceMode,
        Duration persistenceSyncInterval,
        long persistenceMinFreeBytes,
        Duration sysInterval,
        TrafficLimits trafficLimits,
        ClientIdRules clientIds,
        HttpListenerConfig http,
        List<BridgeConfig> bridges) {

    public static final int DEFAULT_PORT = 1883;
    public static final String LOOPBACK = "127.0.0.1";
    /**
     * Free disk space kept in reserve by default: room for RocksDB to flush and compact, and for the
     * removals that free space (RocksDB treats a write that hits a full disk as a lasting error).
     */
    public static final long DEFAULT_PERSISTENCE_MIN_FREE_BYTES = 64L * 1024 * 1024;
    /** The protocol's own ceiling: a Remaining Length of 268,435,455 plus a 5-byte fixed header. */
    public static final int PROTOCOL_MAX_PACKET_SIZE = 268_435_460;
    /** The largest payload the protocol can carry: the largest Remaining Length. */
    public static final int PROTOCOL_MAX_PAYLOAD_SIZE = 268_435_455;
    /** Below this a maximum packet size would get in the way of ordinary packets (as in Mosquitto). */
    public static final int SMALLEST_MAX_PACKET_SIZE = 20;
    public static final int DEFAULT_MAX_PACKET_SIZE = 1024 * 1024;
    public static final int DEFAULT_MAX_INFLIGHT = 20;
    /** The largest Receive Maximum the protocol can express. */
    public static final int MAX_INFLIGHT_LIMIT = 65535;
    public static final int DEFAULT_MAX_QUEUED = 1000;
    public static final int MAX_KEEPALIVE_LIMIT = 65535;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Mosquitto's default for max_topic_alias. */
    public static final int DEFAULT_MAX_TOPIC_ALIAS = 10;
    public static final int MAX_TOPIC_ALIAS_LIMIT = 65535;
    public static final Duration DEFAULT_PERSISTENCE_SYNC_INTERVAL = Duration.ofSeconds(1);
    /** Mosquitto's default for sys_interval. */
    public static final Duration DEFAULT_SYS_INTERVAL = Duration.ofSeconds(10);

    public BrokerConfig {
        listeners = List.copyOf(listeners);
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("at least one listener is required");
        }
        requireRange("maxInflightMessages", maxInflightMessages, 1, MAX_INFLIGHT_LIMIT);
        requireRange("maxQueuedMessages", maxQueuedMessages, 0, Integer.MAX_VALUE);
        if (maxQueuedBytes < 0) {
            throw new IllegalArgumentException("maxQueuedBytes must be >= 0: " + maxQueuedBytes);
        }
        requireRange("maxKeepalive", maxKeepalive, 1, MAX_KEEPALIVE_LIMIT);
        requireRange("maxPacketSize", maxPacketSize, SMALLEST_MAX_PACKET_SIZE, PROTOCOL_MAX_PACKET_SIZE);
        requireRange("messageSizeLimit", messageSizeLimit, 0, PROTOCOL_MAX_PAYLOAD_SIZE);
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        requireRange("maxTopicAlias", maxTopicAlias, 0, MAX_TOPIC_ALIAS_LIMIT);
        Objects.requireNonNull(clientLimits, "clientLimits");
        Objects.requireNonNull(logging, "logging");
        Objects.requireNonNull(persistenceMode, "persistenceMode");
        Objects.requireNonNull(persistenceSyncInterval, "persistenceSyncInterval");
        bridges = List.copyOf(bridges);
        if (persistenceSyncInterval.isNegative() || persistenceSyncInterval.isZero()) {
            throw new IllegalArgumentException("persistenceSyncInterval must be positive: " + persistenceSyncInterval);
        }
        Objects.requireNonNull(trafficLimits, "trafficLimits");
        Objects.requireNonNull(clientIds, "clientIds");
        if (persistenceMinFreeBytes < 0) {
            throw new IllegalArgumentException("persistenceMinFreeBytes must be >= 0: " + persistenceMinFreeBytes);
        }
        Objects.requireNonNull(sysInterval, "sysInterval");
        if (sysInterval.isNegative()) {
            throw new IllegalArgumentException("sysInterval must not be negative: " + sysInterval);
        }
    }

    /** Whether the broker publishes its {@code $SYS} topics at all ({@code sys_interval} above 0). */
    public boolean publishesSysTopics() {
        return !sysInterval.isZero();
    }

    /** Everything at its default: the broker a user gets with no configuration file. */
    public static BrokerConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.listeners = listeners;
        b.allowAnonymous = allowAnonymous;
        b.passwordFile = passwordFile;
        b.aclFile = aclFile;
        b.maxInflightMessages = maxInflightMessages;
        b.maxQueuedMessages = maxQueuedMessages;
        b.maxQueuedBytes = maxQueuedBytes;
        b.queueQos0Messages = queueQos0Messages;
        b.maxKeepalive = maxKeepalive;
        b.maxPacketSize = maxPacketSize;
        b.messageSizeLimit = messageSizeLimit;
        b.retainAvailable = retainAvailable;
        b.persistentClientExpiration = persistentClientExpiration;
        b.connectTimeout = connectTimeout;
        b.dataDirectory = dataDirectory;
        b.maxTopicAlias = maxTopicAlias;
        b.clientLimits = clientLimits;
        b.logging = logging;
        b.persistence = persistence;
        b.persistenceMode = persistenceMode;
        b.persistenceSyncInterval = persistenceSyncInterval;
        b.persistenceMinFreeBytes = persistenceMinFreeBytes;
        b.sysInterval = sysInterval;
        b.trafficLimits = trafficLimits;
        b.clientIds = clientIds;
        b.http = http;
        b.bridges = bridges;
        return b;
    }

    private static void requireRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ": " + value);
        }
    }

    public static final class Builder {
        private List<ListenerConfig> listeners = List.of(new ListenerConfig(DEFAULT_PORT, LOOPBACK));
        private Boolean allowAnonymous;
        private Path passwordFile;
        private Path aclFile;
        private int maxInflightMessages = DEFAULT_MAX_INFLIGHT;
        private int maxQueuedMessages = DEFAULT_MAX_QUEUED;
        private long maxQueuedBytes;
        private boolean queueQos0Messages;
        private int maxKeepalive = MAX_KEEPALIVE_LIMIT;
        private int maxPacketSize = DEFAULT_MAX_PACKET_SIZE;
        private int messageSizeLimit;
        private boolean retainAvailable = true;
        private Duration persistentClientExpiration;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Path dataDirectory = Path.of("data");
        private int maxTopicAlias = DEFAULT_MAX_TOPIC_ALIAS;
        private ClientLimits clientLimits = ClientLimits.DEFAULTS;
        private LoggingConfig logging = LoggingConfig.DEFAULTS;
        private boolean persistence = true;
        private PersistenceMode persistenceMode = PersistenceMode.SYNC;
        private Duration persistenceSyncInterval = DEFAULT_PERSISTENCE_SYNC_INTERVAL;
        private long persistenceMinFreeBytes = DEFAULT_PERSISTENCE_MIN_FREE_BYTES;
        private Duration sysInterval = DEFAULT_SYS_INTERVAL;
        private TrafficLimits trafficLimits = TrafficLimits.DEFAULTS;
        private ClientIdRules clientIds = ClientIdRules.DEFAULTS;
        private HttpListenerConfig http;
        private boolean listenersConfigured;
        private List<BridgeConfig> bridges = List.of();

        private Builder() {
        }

        public Builder listeners(List<ListenerConfig> value) {
            listeners = List.copyOf(value);
            listenersConfigured = true;
            return this;
        }

        /** Replaces every listener with one on the given port and address ({@code null}: all interfaces). */
        public Builder listener(int port, String bindAddress) {
            return listeners(List.of(new ListenerConfig(port, bindAddress)));
        }

        /**
         * Moves the default loopback listener to another port, staying in local-only mode (anonymous
         * clients allowed unless said otherwise): what {@code estafeta broker -p PORT} does.
         */
        public Builder localOnlyPort(int port) {
            listeners = List.of(new ListenerConfig(port, LOOPBACK));
            listenersConfigured = false;
            return this;
        }

        public Builder allowAnonymous(boolean value) {
            allowAnonymous = value;
            return this;
        }

        /** The password file; {@code null} for none. Unless set otherwise, anonymous access is then off. */
        public Builder passwordFile(Path value) {
            passwordFile = value;
            return this;
        }

        /** The access control list file; {@code null} for none. */
        public Builder aclFile(Path value) {
            aclFile = value;
            return this;
        }

        public Builder maxInflightMessages(int value) {
            maxInflightMessages = value;
            return this;
        }

        public Builder maxQueuedMessages(int value) {
            maxQueuedMessages = value;
            return this;
        }

        public Builder maxQueuedBytes(long value) {
            maxQueuedBytes = value;
            return this;
        }

        public Builder queueQos0Messages(boolean value) {
            queueQos0Messages = value;
            return this;
        }

        public Builder maxKeepalive(int value) {
            maxKeepalive = value;
            return this;
        }

        public Builder maxPacketSize(int value) {
            maxPacketSize = value;
            return this;
        }

        /** The largest PUBLISH payload accepted, in bytes; 0 means no limit beyond the packet size. */
        public Builder messageSizeLimit(int value) {
            messageSizeLimit = value;
            return this;
        }

        public Builder retainAvailable(boolean value) {
            retainAvailable = value;
            return this;
        }

        public Builder persistentClientExpiration(Duration value) {
            persistentClientExpiration = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            connectTimeout = value;
            return this;
        }

        public Builder logging(LoggingConfig value) {
            logging = value;
            return this;
        }

        public Builder maxTopicLength(int value) {
            clientLimits = new ClientLimits(value, clientLimits.maxTopicLevels(), clientLimits.maxSubscriptionsPerClient());
            return this;
        }

        public Builder maxTopicLevels(int value) {
            clientLimits = new ClientLimits(clientLimits.maxTopicLength(), value, clientLimits.maxSubscriptionsPerClient());
            return this;
        }

        public Builder maxSubscriptionsPerClient(int value) {
            clientLimits = new ClientLimits(clientLimits.maxTopicLength(), clientLimits.maxTopicLevels(), value);
            return this;
        }

        public Builder maxTopicAlias(int value) {
            maxTopicAlias = value;
            return this;
        }

        public Builder dataDirectory(Path value) {
            dataDirectory = value;
            return this;
        }

        /** Whether sessions and retained messages are stored in the data directory (default true). */
        public Builder persistence(boolean value) {
            persistence = value;
            return this;
        }

        public Builder persistenceMode(PersistenceMode value) {
            persistenceMode = value;
            return this;
        }

        public Builder bridges(List<BridgeConfig> value) {
            bridges = List.copyOf(value);
            return this;
        }

        public Builder persistenceSyncInterval(Duration value) {
            persistenceSyncInterval = value;
            return this;
        }

        /** Free disk space the store keeps in reserve ({@code persistence_min_free_space}); 0 for none. */
        public Builder persistenceMinFreeBytes(long value) {
            persistenceMinFreeBytes = value;
            return this;
        }

        /** How often the {@code $SYS} topics are published; {@link Duration#ZERO} turns them off. */
        public Builder sysInterval(Duration value) {
            sysInterval = value;
            return this;
        }

        /** Connections per address and in total, publish rate, outbound memory budget. */
        public Builder trafficLimits(TrafficLimits value) {
            trafficLimits = value;
            return this;
        }

        /** Changes some of the traffic limits, e.g. {@code limits -> limits.withMaxPublishRate(10)}. */
        public Builder trafficLimits(UnaryOperator<TrafficLimits> change) {
            trafficLimits = change.apply(trafficLimits);
            return this;
        }

        /** Changes the client id rules, e.g. {@code rules -> rules.withAllowZeroLength(false)}. */
        public Builder clientIds(UnaryOperator<ClientIdRules> change) {
            clientIds = change.apply(clientIds);
            return this;
        }

        /** The HTTP listener for metrics, admin API and dashboard; {@code null} (the default) for none. */
        public Builder http(HttpListenerConfig value) {
            http = value;
            return this;
        }

        public BrokerConfig build() {
            // Mosquitto 2: anonymous access is the default only in "local only" mode, i.e. when the
            // user configured no listener of their own. A password file also turns it off: whoever sets
            // one up means clients to log in (Mosquitto 2.0 still lets anonymous clients in then, if no
            // listener is configured).
            boolean anonymous = allowAnonymous != null ? allowAnonymous
                    : !listenersConfigured && passwordFile == null;
            return new BrokerConfig(listeners, anonymous, passwordFile, aclFile, maxInflightMessages,
                    maxQueuedMessages, maxQueuedBytes, queueQos0Messages, maxKeepalive, maxPacketSize,
                    messageSizeLimit, retainAvailable, persistentClientExpiration, connectTimeout, dataDirectory,
                    maxTopicAlias, clientLimits, logging, persistence, persistenceMode, persistenceSyncInterval,
                    persistenceMinFreeBytes, sysInterval,
                    trafficLimits, clientIds, http, bridges);
        }
    }
}
