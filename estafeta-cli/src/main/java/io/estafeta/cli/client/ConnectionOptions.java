package io.estafeta.cli.client;

import io.estafeta.client.MqttClientOptions;
import io.estafeta.client.PacketTrace;
import io.estafeta.client.TlsOptions;
import io.estafeta.client.WillMessage;
import io.estafeta.protocol.Topics;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import picocli.CommandLine.Option;

import javax.net.ssl.SSLException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Locale;

/**
 * The options {@code estafeta pub} and {@code sub} share (picocli mixin): where to connect, as whom,
 * with which protocol version, will and TLS. Names, defaults, limits and error messages are
 * mosquitto_pub's and mosquitto_sub's.
 */
public final class ConnectionOptions {

    static final int DEFAULT_PORT = 1883;
    static final int DEFAULT_TLS_PORT = 8883;
    private static final int DEFAULT_KEEP_ALIVE = 60;
    /** Mosquitto's clients refuse shorter keep-alives. */
    private static final int MIN_KEEP_ALIVE = 5;
    private static final int MAX_KEEP_ALIVE = 65535;
    private static final int MAX_PORT = 65535;
    private static final long SESSION_NEVER_EXPIRES = 0xFFFF_FFFFL;
    /** {@code -x -1} is Mosquitto's shorthand for "never expires". */
    private static final long SESSION_NEVER_EXPIRES_SHORTHAND = -1;
    private static final String INFINITY = "∞";
    /** MQTT 3.1 client ids are 1 to 23 characters ([MQTT 3.1] 3.1): generated ones fill that. */
    private static final String GENERATED_ID_PREFIX = "estafeta-";
    private static final int MQTT_3_1_MAX_CLIENT_ID = 23;
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private String host;
    private Integer port;
    private String username;
    private String password;
    private String urlTopic;
    private boolean urlTls;

    @Option(names = {"-i", "--id"}, paramLabel = "ID",
            description = "Client id. Default: empty, so that the broker assigns one (MQTT 3.1: a random id).")
    private String clientId;

    @Option(names = {"-I", "--id-prefix"}, paramLabel = "PREFIX",
            description = "Client id made of this prefix and the process id.")
    private String clientIdPrefix;

    private int keepAlive = DEFAULT_KEEP_ALIVE;

    @Option(names = {"-V", "--protocol-version"}, paramLabel = "VERSION", converter = ProtocolVersionConverter.class,
            description = "MQTT version: mqttv5 (5), mqttv311 (311) or mqttv31 (31). Default: mqttv311, "
                    + "or mqttv5 when -D is given.")
    private MqttVersion version;

    @Option(names = {"-c", "--disable-clean-session"},
            description = "Persistent session: clean session 0 (clean start 0 in MQTT 5, where the session then "
                    + "never expires unless -x says otherwise). Needs -i.")
    private boolean persistentSession;

    private Long sessionExpiry;

    @Option(names = {"-d", "--debug"}, description = "Prints every packet sent and received.")
    boolean debug;

    @Option(names = "--quiet", description = "Prints no error messages.")
    boolean quiet;

    @Option(names = {"-M"}, paramLabel = "MAX", description = "Most QoS 1/2 messages in flight at once. Default: 20.")
    private void maxInflight(int value) {
        if (value < 1) {
            throw new UsageException("Error: Maximum inflight messages must be greater than 0.");
        }
        maxInflight = value;
    }

    private int maxInflight = MqttClientOptions.DEFAULT_MAX_INFLIGHT;

    @Option(names = "--nodelay", description = "Accepted for compatibility: Nagle's algorithm is always off.")
    private boolean noDelay;

    @Option(names = "--will-topic", paramLabel = "TOPIC", description = "Topic of the will.")
    private void willTopic(String value) {
        if (!Topics.isValidTopicName(value)) {
            throw new UsageException("Error: Invalid will topic '" + value + "', does it contain '+' or '#'?");
        }
        willTopic = value;
    }

    private String willTopic;

    @Option(names = "--will-payload", paramLabel = "PAYLOAD", description = "Payload of the will. Default: empty.")
    private String willPayload;

    private int willQos;

    @Option(names = "--will-retain", description = "Retain the will.")
    private boolean willRetain;

    @Option(names = "--cafile", paramLabel = "FILE", description = "Trusted CA certificates (PEM); turns TLS on.")
    private Path caFile;

    @Option(names = "--cert", paramLabel = "FILE", description = "Client certificate (PEM), with --key.")
    private Path certFile;

    @Option(names = "--key", paramLabel = "FILE", description = "Client private key (PEM, unencrypted).")
    private Path keyFile;

    @Option(names = "--insecure", description = "Do not check that the server certificate names the host.")
    private boolean insecure;

    @Option(names = "--tls-use-os-certs", description = "TLS trusting the JDK's default certificate authorities.")
    private boolean useSystemCertificates;

    @Option(names = {"-D", "--property"}, paramLabel = "COMMAND IDENTIFIER VALUE",
            parameterConsumer = PropertyArguments.Consumer.class,
            description = "MQTT 5 property, e.g. '-D publish user-property KEY VALUE', '-D connect "
                    + "session-expiry-interval 60'. COMMAND: connect, publish, subscribe, unsubscribe, disconnect, "
                    + "will.")
    final PropertyArguments properties = new PropertyArguments();

    @Option(names = {"-h", "--host"}, paramLabel = "HOST", description = "Broker host. Default: localhost.")
    private void host(String value) {
        host = value;
    }

    @Option(names = {"-p", "--port"}, paramLabel = "PORT",
            description = "Broker port. Default: 1883, or 8883 with TLS.")
    private void port(int value) {
        if (value < 0 || value > MAX_PORT) {
            throw new UsageException("Error: Invalid port given: " + value);
        }
        port = value;
    }

    @Option(names = {"-u", "--username"}, paramLabel = "USER", description = "User name.")
    private void username(String value) {
        username = value;
    }

    @Option(names = {"-P", "--pw"}, paramLabel = "PASSWORD", description = "Password.")
    private void password(String value) {
        password = value;
    }

    @Option(names = {"-k", "--keepalive"}, paramLabel = "SECONDS", description = "Keep-alive. Default: 60.")
    private void keepAlive(int value) {
        if (value < MIN_KEEP_ALIVE || value > MAX_KEEP_ALIVE) {
            throw new UsageException("Error: Invalid keepalive given, it must be between 5 and 65535 inclusive.");
        }
        keepAlive = value;
    }

    @Option(names = "-x", paramLabel = "SECONDS",
            description = "MQTT 5 session expiry interval: 0-4294967294, or -1 / 4294967295 / ∞ for never. "
                    + "Default: never with -c, otherwise 0.")
    private void sessionExpiry(String value) {
        if (INFINITY.equals(value)) {
            sessionExpiry = SESSION_NEVER_EXPIRES;
            return;
        }
        long parsed;
        try {
            parsed = Long.decode(value);
        } catch (NumberFormatException e) {
            throw new UsageException("Error: session-expiry-interval not a number.");
        }
        if (parsed > SESSION_NEVER_EXPIRES || parsed < SESSION_NEVER_EXPIRES_SHORTHAND) {
            throw new UsageException("Error: session-expiry-interval out of range.");
        }
        sessionExpiry = parsed == SESSION_NEVER_EXPIRES_SHORTHAND ? SESSION_NEVER_EXPIRES : parsed;
    }

    @Option(names = "--will-qos", paramLabel = "QOS", description = "QoS of the will. Default: 0.")
    private void willQos(int value) {
        if (value < 0 || value > 2) {
            throw new UsageException("Error: Invalid will QoS " + value + ".");
        }
        willQos = value;
    }

    @Option(names = {"-L", "--url"}, paramLabel = "URL",
            description = "mqtt(s)://[USER[:PASSWORD]@]HOST[:PORT]/TOPIC: host, port, credentials and topic at once.")
    private void url(String value) {
        String rest;
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.startsWith("mqtt://")) {
            rest = value.substring("mqtt://".length());
            port = DEFAULT_PORT;
        } else if (lower.startsWith("mqtts://")) {
            rest = value.substring("mqtts://".length());
            port = DEFAULT_TLS_PORT;
            urlTls = true;
        } else {
            throw new UsageException("Error: unsupported URL scheme.");
        }
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw new UsageException("Error: Invalid URL for -L argument specified - topic missing.");
        }
        urlTopic = rest.substring(slash + 1);
        String authority = rest.substring(0, slash);
        int at = authority.indexOf('@');
        if (at >= 0) {
            String credentials = authority.substring(0, at);
            int colon = credentials.indexOf(':');
            if (colon >= 0) {
                password = credentials.substring(colon + 1);
                username = credentials.substring(0, colon);
            } else {
                username = credentials;
            }
            authority = authority.substring(at + 1);
        }
        int colon = authority.indexOf(':');
        if (colon >= 0) {
            port(parsePort(authority.substring(colon + 1)));
            authority = authority.substring(0, colon);
        }
        host = authority;
    }

    /** The topic a {@code -L} URL named, or null. */
    String urlTopic() {
        return urlTopic;
    }

    MqttVersion version() {
        if (version != null) {
            return version;
        }
        // As Mosquitto: giving a property selects MQTT 5.
        return properties.isEmpty() ? MqttVersion.MQTT_3_1_1 : MqttVersion.MQTT_5;
    }

    boolean quiet() {
        return quiet;
    }

    /**
     * Checks the combinations Mosquitto checks after reading the whole command line.
     *
     * @throws UsageException with Mosquitto's message
     */
    void validate() {
        if (clientId != null && clientIdPrefix != null) {
            throw new UsageException("Error: -i and -I argument cannot be used together.");
        }
        if (willPayload != null && willTopic == null) {
            throw new UsageException("Error: Will payload given, but no will topic given.");
        }
        if (willRetain && willTopic == null) {
            throw new UsageException("Error: Will retain given, but no will topic given.");
        }
        if (password != null && username == null && version() != MqttVersion.MQTT_5) {
            // [MQTT-3.1.2-22] before 5.0 a password needs a user name.
            throw new UsageException("Error: Problem setting username and/or password.");
        }
        if ((certFile == null) != (keyFile == null)) {
            throw new UsageException("Error: Both certfile and keyfile must be provided if one of them is set.");
        }
        if (certFile != null && !tls()) {
            // Mosquitto would silently connect without TLS here; we refuse rather than send in the clear.
            throw new UsageException("Error: --cert and --key need --cafile, --tls-use-os-certs or an mqtts:// URL.");
        }
        boolean noChosenId = clientIdPrefix != null || clientId == null;
        if (version() == MqttVersion.MQTT_5) {
            if (sessionExpiry() == SESSION_NEVER_EXPIRES && noChosenId) {
                throw new UsageException(
                        "Error: You must provide a client id if you are using an infinite session expiry interval.");
            }
        } else if (persistentSession && noChosenId) {
            throw new UsageException("Error: You must provide a client id if you are using the -c option.");
        }
    }

    /**
     * The client options these command-line options describe.
     *
     * @param trace sees every packet, or null
     * @throws IllegalStateException with the line to print when the TLS files cannot be used
     */
    MqttClientOptions.Builder toClientOptions(PacketTrace trace) {
        MqttVersion chosen = version();
        MqttClientOptions.Builder options = MqttClientOptions.builder()
                .host(host == null ? MqttClientOptions.DEFAULT_HOST : host)
                .port(port != null ? port : tls() ? DEFAULT_TLS_PORT : DEFAULT_PORT)
                .clientId(clientId())
                .version(chosen)
                .cleanStart(!persistentSession)
                .keepAlive(Duration.ofSeconds(keepAlive))
                .maxInflight(maxInflight)
                .connectTimeout(CONNECT_TIMEOUT)
                .packetTrace(trace);
        if (username != null) {
            options.username(username);
        }
        if (password != null) {
            options.password(password);
        }
        if (willTopic != null) {
            byte[] payload = willPayload == null ? new byte[0] : willPayload.getBytes(StandardCharsets.UTF_8);
            options.will(new WillMessage(willTopic, payload, MqttQoS.valueOf(willQos), willRetain,
                    properties.of(PropertyArguments.Packet.WILL)));
        }
        if (chosen == MqttVersion.MQTT_5) {
            options.connectProperties(connectProperties());
        }
        if (tls()) {
            try {
                options.sslContext(new TlsOptions(caFile, certFile, keyFile, insecure).toSslContext());
            } catch (SSLException | IllegalArgumentException e) {
                throw new IllegalStateException("Error: Problem setting TLS options: " + e.getMessage() + ".", e);
            }
        }
        return options;
    }

    /** The client id the options name, "(null)" in debug output when empty as Mosquitto shows it. */
    String clientId() {
        if (clientId != null) {
            return clientId;
        }
        if (clientIdPrefix != null) {
            return clientIdPrefix + ProcessHandle.current().pid();
        }
        if (version() == MqttVersion.MQTT_3_1) {
            // [MQTT 3.1] the client id must be 1-23 characters: no empty id to let the server choose.
            return randomClientId();
        }
        return "";
    }

    /** Checks that the TLS files can be read before connecting, as Mosquitto does when it sets them up. */
    void checkTlsFiles() {
        for (Path file : new Path[] {caFile, certFile, keyFile}) {
            if (file != null && !Files.isReadable(file)) {
                throw new UsageException("Error: Problem setting TLS options: File not found.");
            }
        }
    }

    private boolean tls() {
        return caFile != null || useSystemCertificates || urlTls;
    }

    private long sessionExpiry() {
        if (sessionExpiry != null) {
            return sessionExpiry;
        }
        return persistentSession ? SESSION_NEVER_EXPIRES : 0;
    }

    private MqttProperties connectProperties() {
        MqttProperties given = properties.of(PropertyArguments.Packet.CONNECT);
        long expiry = sessionExpiry();
        if (expiry == 0 || given.getProperty(MqttProperties.SESSION_EXPIRY_INTERVAL) != null) {
            return given;
        }
        MqttProperties withExpiry = new MqttProperties();
        given.listAll().forEach(withExpiry::add);
        withExpiry.add(new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL, (int) expiry));
        return withExpiry;
    }

    private static String randomClientId() {
        SecureRandom random = new SecureRandom();
        StringBuilder id = new StringBuilder(GENERATED_ID_PREFIX);
        while (id.length() < MQTT_3_1_MAX_CLIENT_ID) {
            id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }

    private static int parsePort(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new UsageException("Error: Invalid port given: " + text);
        }
    }
}
