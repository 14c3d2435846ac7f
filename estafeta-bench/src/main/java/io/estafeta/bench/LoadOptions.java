package io.estafeta.bench;

import io.netty.handler.codec.mqtt.MqttVersion;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.util.Locale;

/** The options every scenario shares: where the broker is, how to talk to it, how long to run. */
final class LoadOptions {

    static final int DEFAULT_PAYLOAD_BYTES = 64;
    static final int DEFAULT_WINDOW = 100;

    // Not picocli's standard help options: their -V (--version) would take mosquitto_pub's -V (protocol version).
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Broker host (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = {"-p", "--port"}, defaultValue = "1883", description = "Broker port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = {"-q", "--qos"}, defaultValue = "0", description = "QoS of publications and subscriptions: 0, 1 or 2 (default: ${DEFAULT-VALUE}).")
    int qos;

    @Option(names = {"-s", "--payload-size"}, defaultValue = "" + DEFAULT_PAYLOAD_BYTES,
            description = "Payload bytes per message; 8 or more carry the send time for latency (default: ${DEFAULT-VALUE}).")
    int payloadSize;

    @Option(names = {"-r", "--rate"},
            description = "Messages per second across all publishers; 0 = as fast as the broker takes them "
                    + "(default: 0, latency: 1000).")
    Long rate;

    @Option(names = {"-d", "--duration"}, defaultValue = "10s", converter = DurationConverter.class,
            description = "Measured time, e.g. 10s, 500ms, 2m (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warm-up", converter = DurationConverter.class,
            description = "Time run before measuring (default: 2s, latency: 10s).")
    Duration warmUp;

    @Option(names = "--drain", defaultValue = "10s", converter = DurationConverter.class,
            description = "Longest wait after publishing stopped for messages still under way (default: ${DEFAULT-VALUE}).")
    Duration drain;

    @Option(names = {"-V", "--protocol-version"}, defaultValue = "3.1.1", converter = VersionConverter.class,
            description = "MQTT version: 3.1.1 (or mqttv311) or 5 (or mqttv5) (default: ${DEFAULT-VALUE}).")
    MqttVersion version;

    @Option(names = "--window", defaultValue = "" + DEFAULT_WINDOW,
            description = "Most unacknowledged QoS 1/2 messages per publisher (default: ${DEFAULT-VALUE}; "
                    + "lowered to the broker's MQTT 5 Receive Maximum).")
    int window;

    @Option(names = "--threads", description = "Generator event loop threads (default: the cores it may use).")
    Integer threads;

    @Option(names = "--persistent-subscribers", description = "Subscribers connect with Clean Session 0 (MQTT 5:"
            + " Clean Start 0, Session Expiry " + BenchConnection.PERSISTENT_SESSION_EXPIRY_SECONDS + " s), so a"
            + " broker with persistence stores what it queues for them.")
    boolean persistentSubscribers;

    @Option(names = "--broker-pid", defaultValue = "0",
            description = "The broker's process id, when it runs on this machine: its CPU use in the measured "
                    + "time (conns: its VmRSS before and after) is read from /proc.")
    long brokerPid;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Option(names = "--quiet", description = "No progress lines on stderr.")
    boolean quiet;

    static final Duration DEFAULT_WARM_UP = Duration.ofSeconds(2);

    LoadSettings settings(long defaultRate) {
        return settings(defaultRate, DEFAULT_WARM_UP);
    }

    LoadSettings settings(long defaultRate, Duration defaultWarmUp) {
        int loops = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        return new LoadSettings(host, port, version, qos, payloadSize, rate != null ? rate : defaultRate,
                duration, warmUp != null ? warmUp : defaultWarmUp, drain, window, loops, !quiet, persistentSubscribers,
                brokerPid);
    }

    /** "10s", "500ms", "2m", "1h", or a number of seconds. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String text = value.trim().toLowerCase(Locale.ROOT);
            try {
                if (text.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
                }
                if (text.endsWith("s")) {
                    return Duration.ofMillis(Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
                }
                if (text.endsWith("m")) {
                    return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
                }
                if (text.endsWith("h")) {
                    return Duration.ofHours(Long.parseLong(text.substring(0, text.length() - 1)));
                }
                return Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
            } catch (NumberFormatException e) {
                throw new TypeConversionException("not a duration: '" + value + "' (e.g. 10s, 500ms, 2m)");
            }
        }
    }

    /** MQTT 3.1.1 or 5, in the spellings of the spec and of mosquitto_pub's -V. */
    static final class VersionConverter implements ITypeConverter<MqttVersion> {
        @Override
        public MqttVersion convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "3.1.1", "311", "mqttv311", "4" -> MqttVersion.MQTT_3_1_1;
                case "5", "5.0", "mqttv5" -> MqttVersion.MQTT_5;
                default -> throw new TypeConversionException("MQTT version must be 3.1.1 or 5: '" + value + "'");
            };
        }
    }
}
