package io.estafeta.broker.config;

import io.estafeta.client.ServerAddress;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One bridge ({@code connection NAME} and the lines after it): a link from this broker to a remote one,
 * as Mosquitto configures it. docs/BRIDGES.md describes every setting.
 *
 * @param name                   the connection name
 * @param addresses              the remote broker's addresses, tried in turn (failover)
 * @param topics                 what crosses the bridge, in configuration order
 * @param remoteClientId         the client id on the remote broker (default {@code HOSTNAME.NAME})
 * @param localClientId          the id of the bridge's session on this broker (default {@code local.REMOTE_CLIENTID})
 * @param remoteUsername         user name on the remote broker, or null
 * @param remotePassword         password on the remote broker, or null
 * @param cleanSession           whether the remote and local sessions start clean on each connection
 * @param protocol               the MQTT version spoken to the remote broker
 * @param tryPrivate             whether to tell the remote broker that this is a bridge (3.1/3.1.1)
 * @param tls                    TLS to the remote broker, or null for plain TCP
 * @param keepAlive              keep-alive interval on the remote connection
 * @param restartTimeout         how long to wait before connecting again
 * @param notifications          whether the connection state is published (retained "1" and "0")
 * @param notificationsLocalOnly whether the state is published on this broker only
 * @param notificationTopic      where the state is published
 * @param roundRobin             whether all addresses are alike ({@code round_robin true}); false: the first is
 *                               the main one, and the bridge goes back to it when it can
 * @param mainAddressProbeInterval with {@code round_robin false}: how often the main address is checked while
 *                               the bridge is connected to another ({@link #MAIN_ADDRESS_PROBE_INTERVAL}; no
 *                               directive sets it)
 * @param start                  when the bridge connects: {@code start_type}, {@code threshold}, {@code idle_timeout}
 */
public record BridgeConfig(String name, List<ServerAddress> addresses, List<BridgeTopic> topics, String remoteClientId,
                           String localClientId, String remoteUsername, String remotePassword, boolean cleanSession,
                           Protocol protocol, boolean tryPrivate, Tls tls, Duration keepAlive,
                           RestartTimeout restartTimeout, boolean notifications, boolean notificationsLocalOnly,
                           String notificationTopic, boolean roundRobin, Duration mainAddressProbeInterval,
                           Start start) {

    /** {@code bridge_protocol_version}. */
    public enum Protocol {
        MQTT_3_1("mqttv31"), MQTT_3_1_1("mqttv311"), MQTT_5("mqttv50");

        private final String directiveValue;

        Protocol(String directiveValue) {
            this.directiveValue = directiveValue;
        }

        public String directiveValue() {
            return directiveValue;
        }
    }

    /**
     * {@code bridge_cafile}, {@code bridge_certfile}, {@code bridge_keyfile}, {@code bridge_insecure}.
     *
     * @param caFile   certificates to trust; the JDK's authorities when null
     * @param certFile the bridge's own certificate, or null
     * @param keyFile  its private key, or null
     * @param insecure skip the host name check on the remote's certificate
     */
    public record Tls(Path caFile, Path certFile, Path keyFile, boolean insecure) {
    }

    /**
     * {@code restart_timeout}: a constant delay (no cap), or Mosquitto's "decorrelated jitter" between
     * {@code base} and {@code cap}.
     *
     * @param cap null for a constant delay
     */
    public record RestartTimeout(Duration base, Duration cap) {

        /** Mosquitto's default: jitter from 5 s up to 30 s. */
        public static final RestartTimeout DEFAULT = new RestartTimeout(Duration.ofSeconds(5), Duration.ofSeconds(30));

        public RestartTimeout {
            Objects.requireNonNull(base, "base");
        }

        public boolean isConstant() {
            return cap == null;
        }
    }

    /** {@code start_type}. */
    public enum StartType {
        /** Connect when the broker starts, and again (after {@code restart_timeout}) whenever the connection fails. */
        AUTOMATIC("automatic"),
        /** Connect only while more than {@code threshold} messages wait for the remote; leave after {@code idle_timeout}. */
        LAZY("lazy"),
        /** Connect when the broker starts; never again once that connection (or that attempt) fails. */
        ONCE("once");

        private final String directiveValue;

        StartType(String directiveValue) {
            this.directiveValue = directiveValue;
        }

        public String directiveValue() {
            return directiveValue;
        }
    }

    /**
     * {@code start_type}, {@code threshold} and {@code idle_timeout} (the last two matter for {@code lazy} only).
     *
     * @param threshold   lazy: the bridge connects once more than this many messages wait for the remote broker
     * @param idleTimeout lazy: the bridge disconnects after this long without a message either way
     */
    public record Start(StartType type, int threshold, Duration idleTimeout) {

        /** Mosquitto's defaults: automatic; threshold 10 messages, idle timeout 60 s. */
        public static final Start DEFAULT = new Start(StartType.AUTOMATIC, 10, Duration.ofSeconds(60));

        public Start {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            if (threshold < 1 || !idleTimeout.isPositive()) {
                throw new IllegalArgumentException("threshold and idle timeout must be positive, got " + threshold
                        + " and " + idleTimeout);
            }
        }
    }

    /**
     * With {@code round_robin false}, how often the main (first) address is tried while the bridge is connected
     * to another: Mosquitto's bridges open a TCP connection to it every 5 seconds ({@code primary_retry} in its
     * src/bridge.c), and go back to it when that succeeds.
     */
    public static final Duration MAIN_ADDRESS_PROBE_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(60);
    /** Mosquitto refuses shorter keep-alive intervals for bridges. */
    public static final Duration MIN_KEEP_ALIVE = Duration.ofSeconds(5);
    /** Where the state goes when no {@code notification_topic} is given (the remote client id fills the gap). */
    public static final String DEFAULT_NOTIFICATION_TOPIC = "$SYS/broker/connection/%s/state";
    public static final String LOCAL_CLIENT_ID_PREFIX = "local.";

    public BridgeConfig {
        Objects.requireNonNull(name, "name");
        addresses = List.copyOf(addresses);
        topics = List.copyOf(topics);
        Objects.requireNonNull(remoteClientId, "remoteClientId");
        Objects.requireNonNull(localClientId, "localClientId");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(keepAlive, "keepAlive");
        Objects.requireNonNull(restartTimeout, "restartTimeout");
        Objects.requireNonNull(notificationTopic, "notificationTopic");
        Objects.requireNonNull(mainAddressProbeInterval, "mainAddressProbeInterval");
        Objects.requireNonNull(start, "start");
        if (!mainAddressProbeInterval.isPositive()) {
            throw new IllegalArgumentException("the main address probe interval must be positive");
        }
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("bridge " + name + " has no address");
        }
    }

    /**
     * This bridge with another interval for checking its main address: there is no directive for it, but an
     * embedding program (or a test) may want the switch back sooner or later than Mosquitto's 5 s.
     */
    public BridgeConfig withMainAddressProbeInterval(Duration interval) {
        return new BridgeConfig(name, addresses, topics, remoteClientId, localClientId, remoteUsername, remotePassword,
                cleanSession, protocol, tryPrivate, tls, keepAlive, restartTimeout, notifications,
                notificationsLocalOnly, notificationTopic, roundRobin, interval, start);
    }

    @Override
    public String toString() {
        // Never the password.
        return "BridgeConfig[" + name + " -> " + addresses + ", " + topics.size() + " topics, remote client id "
                + remoteClientId + "]";
    }
}
