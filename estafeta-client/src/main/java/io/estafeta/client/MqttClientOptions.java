package io.estafeta.client;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.SslContext;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a client needs to know before it connects. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * MqttClientOptions options = MqttClientOptions.builder()
 *         .host("localhost").port(1883).clientId("sensor-1")
 *         .version(MqttVersion.MQTT_5).cleanStart(false).keepAlive(Duration.ofSeconds(30))
 *         .build();
 * }</pre>
 */
public final class MqttClientOptions {

    public static final String DEFAULT_HOST = "localhost";
    public static final int DEFAULT_PORT = 1883;
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(60);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** As Mosquitto's clients: 20 unacknowledged QoS 1/2 messages at a time. */
    public static final int DEFAULT_MAX_INFLIGHT = 20;
    /** Packet identifiers are two bytes and never 0 ([MQTT-2.3.1-1]): no more can be in flight. */
    public static final int MAX_INFLIGHT_LIMIT = 65535;
    /** The keep-alive field is two bytes of seconds ([MQTT-3.1.2.10]). */
    public static final int MAX_KEEP_ALIVE_SECONDS = 65535;
    /** The largest packet the protocol can express: Remaining Length 268,435,455 plus the fixed header. */
    public static final int PROTOCOL_MAX_PACKET_SIZE = 268_435_460;

    private final String host;
    private final int port;
    private final String clientId;
    private final MqttVersion version;
    private final boolean cleanStart;
    private final Duration keepAlive;
    private final String username;
    private final byte[] password;
    private final WillMessage will;
    private final Duration connectTimeout;
    private final int maxInflight;
    private final SslContext sslContext;
    private final ReconnectPolicy reconnect;
    private final MqttProperties connectProperties;
    private final int maxPacketSize;
    private final ClientEventLoops eventLoops;
    private final PacketTrace packetTrace;
    private final List<ServerAddress> addresses;
    private final boolean bridgeMode;
    private final Duration firstAddressProbeInterval;

    private MqttClientOptions(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.clientId = b.clientId;
        this.version = b.version;
        this.cleanStart = b.cleanStart;
        this.keepAlive = b.keepAlive;
        this.username = b.username;
        this.password = b.password;
        this.will = b.will;
        this.connectTimeout = b.connectTimeout;
        this.maxInflight = b.maxInflight;
        this.sslContext = b.sslContext;
        this.reconnect = b.reconnect;
        this.connectProperties = b.connectProperties;
        this.maxPacketSize = b.maxPacketSize;
        this.eventLoops = b.eventLoops;
        this.packetTrace = b.packetTrace;
        this.addresses = b.addresses != null ? b.addresses : List.of(new ServerAddress(b.host, b.port));
        this.bridgeMode = b.bridgeMode;
        this.firstAddressProbeInterval = b.firstAddressProbeInterval;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The client id; empty asks the server to assign one (3.1.1 requires clean session then). */
    public String clientId() {
        return clientId;
    }

    public MqttVersion version() {
        return version;
    }

    /** Clean Session (3.1, 3.1.1) or Clean Start (5.0). */
    public boolean cleanStart() {
        return cleanStart;
    }

    /** Zero turns keep-alive off. */
    public Duration keepAlive() {
        return keepAlive;
    }

    public String username() {
        return username;
    }

    public byte[] password() {
        return password == null ? null : password.clone();
    }

    public WillMessage will() {
        return will;
    }

    /** How long the TCP (and TLS) connection plus the CONNACK may take. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** At most this many outgoing QoS 1/2 PUBLISH unacknowledged at once (lowered to the server's Receive Maximum in 5.0). */
    public int maxInflight() {
        return maxInflight;
    }

    /** TLS, or {@code null} for plain TCP. */
    public SslContext sslContext() {
        return sslContext;
    }

    public ReconnectPolicy reconnect() {
        return reconnect;
    }

    /** CONNECT properties (5.0 only): session expiry, user properties, ... */
    public MqttProperties connectProperties() {
        return connectProperties;
    }

    /** The largest packet accepted from the server. */
    public int maxPacketSize() {
        return maxPacketSize;
    }

    /** Shared event loops, or {@code null} for a single loop of this client's own. */
    public ClientEventLoops eventLoops() {
        return eventLoops;
    }

    /** Sees every packet, or {@code null}. */
    public PacketTrace packetTrace() {
        return packetTrace;
    }

    /**
     * The servers to connect to, in order: the first is {@link #host()}:{@link #port()}. After a failed
     * connection attempt the client tries the next one (failover), round robin.
     */
    public List<ServerAddress> addresses() {
        return addresses;
    }

    /**
     * Whether the first of several addresses is the main one, and how often it is checked: while connected to
     * any other address, the client opens a plain TCP connection to the first one every interval (and closes
     * it at once); when that succeeds, it leaves the connection it has for the first address. After a lost
     * connection or a disconnect, too, the next attempt goes to the first address. Zero (the default): all
     * addresses are alike, and a connection stays where it is until it fails (round robin).
     */
    public Duration firstAddressProbeInterval() {
        return firstAddressProbeInterval;
    }

    /** Whether the client goes back to its first address when it can (see {@link #firstAddressProbeInterval()}). */
    public boolean returnsToFirstAddress() {
        return !firstAddressProbeInterval.isZero() && addresses.size() > 1;
    }

    /**
     * Whether the CONNECT says the client is a bridge (Mosquitto's {@code try_private}: the top bit of
     * the Protocol Level). 3.1 and 3.1.1 only; 5.0 bridges use No Local instead.
     */
    public boolean bridgeMode() {
        return bridgeMode;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.clientId = clientId;
        b.version = version;
        b.cleanStart = cleanStart;
        b.keepAlive = keepAlive;
        b.username = username;
        b.password = password;
        b.will = will;
        b.connectTimeout = connectTimeout;
        b.maxInflight = maxInflight;
        b.sslContext = sslContext;
        b.reconnect = reconnect;
        b.connectProperties = connectProperties;
        b.maxPacketSize = maxPacketSize;
        b.eventLoops = eventLoops;
        b.packetTrace = packetTrace;
        b.addresses = addresses.size() > 1 ? addresses : null;
        b.bridgeMode = bridgeMode;
        b.firstAddressProbeInterval = firstAddressProbeInterval;
        return b;
    }

    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private String clientId = "";
        private MqttVersion version = MqttVersion.MQTT_3_1_1;
        private boolean cleanStart = true;
        private Duration keepAlive = DEFAULT_KEEP_ALIVE;
        private String username;
        private byte[] password;
        private WillMessage will;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private int maxInflight = DEFAULT_MAX_INFLIGHT;
        private SslContext sslContext;
        private ReconnectPolicy reconnect = ReconnectPolicy.disabled();
        private MqttProperties connectProperties = MqttProperties.NO_PROPERTIES;
        private int maxPacketSize = PROTOCOL_MAX_PACKET_SIZE;
        private ClientEventLoops eventLoops;
        private PacketTrace packetTrace;
        private List<ServerAddress> addresses;
        private boolean bridgeMode;
        private Duration firstAddressProbeInterval = Duration.ZERO;

        private Builder() {
        }

        public Builder host(String value) {
            this.host = Objects.requireNonNull(value, "host");
            this.addresses = null;
            return this;
        }

        public Builder port(int value) {
            if (value < 1 || value > 65535) {
                throw new IllegalArgumentException("port must be 1-65535, got " + value);
            }
            this.port = value;
            this.addresses = null;
            return this;
        }

        public Builder clientId(String value) {
            this.clientId = Objects.requireNonNull(value, "clientId");
            return this;
        }

        public Builder version(MqttVersion value) {
            this.version = Objects.requireNonNull(value, "version");
            return this;
        }

        public Builder cleanStart(boolean value) {
            this.cleanStart = value;
            return this;
        }

        public Builder keepAlive(Duration value) {
            if (value.isNegative() || value.toSeconds() > MAX_KEEP_ALIVE_SECONDS) {
                throw new IllegalArgumentException("keep-alive must be 0-65535 seconds, got " + value);
            }
            this.keepAlive = value;
            return this;
        }

        public Builder username(String value) {
            this.username = value;
            return this;
        }

        public Builder password(byte[] value) {
            this.password = value == null ? null : value.clone();
            return this;
        }

        public Builder password(String value) {
            return password(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
        }

        public Builder will(WillMessage value) {
            this.will = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("connect timeout must be positive, got " + value);
            }
            this.connectTimeout = value;
            return this;
        }

        public Builder maxInflight(int value) {
            if (value < 1 || value > MAX_INFLIGHT_LIMIT) {
                throw new IllegalArgumentException("max in-flight must be 1-65535, got " + value);
            }
            this.maxInflight = value;
            return this;
        }

        public Builder sslContext(SslContext value) {
            if (value != null && !value.isClient()) {
                throw new IllegalArgumentException("a client needs a client-side SslContext");
            }
            this.sslContext = value;
            return this;
        }

        public Builder reconnect(ReconnectPolicy value) {
            this.reconnect = Objects.requireNonNull(value, "reconnect");
            return this;
        }

        public Builder connectProperties(MqttProperties value) {
            this.connectProperties = value == null ? MqttProperties.NO_PROPERTIES : value;
            return this;
        }

        public Builder maxPacketSize(int value) {
            if (value < 2 || value > PROTOCOL_MAX_PACKET_SIZE) {
                throw new IllegalArgumentException("max packet size out of range: " + value);
            }
            this.maxPacketSize = value;
            return this;
        }

        public Builder eventLoops(ClientEventLoops value) {
            this.eventLoops = value;
            return this;
        }

        /** Several servers to try in turn (failover); replaces {@link #host}/{@link #port} with the first. */
        public Builder addresses(List<ServerAddress> value) {
            if (value.isEmpty()) {
                throw new IllegalArgumentException("no server address");
            }
            List<ServerAddress> copy = List.copyOf(value);
            this.host = copy.getFirst().host();
            this.port = copy.getFirst().port();
            this.addresses = copy;
            return this;
        }

        /**
         * Treat the first of several addresses as the main one: while connected to another, check every
         * {@code probeInterval} whether the first accepts TCP connections, and go back to it when it does
         * ({@link #firstAddressProbeInterval()}). {@link Duration#ZERO} turns it off (round robin).
         */
        public Builder returnToFirstAddress(Duration probeInterval) {
            if (probeInterval.isNegative()) {
                throw new IllegalArgumentException("probe interval must not be negative, got " + probeInterval);
            }
            this.firstAddressProbeInterval = probeInterval;
            return this;
        }

        /** Mark the CONNECT as a bridge's (Mosquitto's {@code try_private}); ignored for MQTT 5. */
        public Builder bridgeMode(boolean value) {
            this.bridgeMode = value;
            return this;
        }

        public Builder packetTrace(PacketTrace value) {
            this.packetTrace = value;
            return this;
        }

        public MqttClientOptions build() {
            if (password != null && username == null && version != MqttVersion.MQTT_5) {
                // [MQTT-3.1.2-22] before 5.0 a password may only be sent with a user name.
                throw new IllegalArgumentException("a password needs a username before MQTT 5");
            }
            return new MqttClientOptions(this);
        }
    }
}
