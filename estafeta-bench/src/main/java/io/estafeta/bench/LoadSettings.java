package io.estafeta.bench;

import io.netty.handler.codec.mqtt.MqttVersion;

import java.time.Duration;

/**
 * What one run is asked to do, whatever its scenario.
 *
 * @param host          the broker's host
 * @param port          the broker's port
 * @param version       MQTT 3.1.1 or 5
 * @param qos           QoS of every PUBLISH and of every subscription
 * @param payloadSize   bytes of payload per PUBLISH (at least {@link PublishFrames#TIMESTAMP_BYTES} to
 *                      measure latency)
 * @param rate          messages per second across all publishers, or {@link #UNLIMITED}
 * @param duration      the measured time
 * @param warmUp        time run before measuring, not counted
 * @param drainTimeout  how long to wait, after publishing stopped, for messages still under way
 * @param window        most QoS 1/2 messages a publisher has unacknowledged (lowered to the broker's
 *                      MQTT 5 Receive Maximum)
 * @param threads       the generator's event loop threads
 * @param progress      print a progress line every second (on stderr)
 * @param persistentSubscribers subscribers keep their sessions (Clean Session 0; MQTT 5: Clean Start 0 and a
 *                      Session Expiry Interval), so a broker that stores persistent sessions stores what it
 *                      queues for them and holds back acknowledgements until it is durable
 * @param brokerPid     the broker's process id on this machine, to read its CPU time (and memory), or 0
 */
record LoadSettings(String host, int port, MqttVersion version, int qos, int payloadSize, long rate,
                    Duration duration, Duration warmUp, Duration drainTimeout, int window, int threads,
                    boolean progress, boolean persistentSubscribers, long brokerPid) {

    static final long UNLIMITED = 0;

    LoadSettings {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2: " + qos);
        }
        if (payloadSize < 0) {
            throw new IllegalArgumentException("payload size must not be negative: " + payloadSize);
        }
        if (rate < 0) {
            throw new IllegalArgumentException("rate must not be negative: " + rate);
        }
        if (window < 1 || window > PacketIds.MAX_PACKET_ID) {
            throw new IllegalArgumentException("window must be 1 to " + PacketIds.MAX_PACKET_ID + ": " + window);
        }
        if (brokerPid < 0) {
            throw new IllegalArgumentException("broker pid must not be negative: " + brokerPid);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
    }

    boolean rateLimited() {
        return rate != UNLIMITED;
    }

    String brokerAddress() {
        return host + ":" + port;
    }

    String versionName() {
        return version == MqttVersion.MQTT_5 ? "5" : "3.1.1";
    }
}
