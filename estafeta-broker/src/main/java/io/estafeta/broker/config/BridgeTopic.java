package io.estafeta.broker.config;

import io.estafeta.protocol.Topics;

import java.util.Objects;
import java.util.Optional;

/**
 * One {@code topic} line of a bridge: a pattern shared with the remote broker in one or both directions,
 * at a QoS, with Mosquitto's prefix remapping. The full local filter is {@code localPrefix + pattern}, the
 * full remote one {@code remotePrefix + pattern}; a message crossing the bridge loses the prefix of the
 * side it leaves and gains the prefix of the side it enters.
 *
 * @param pattern      the topic filter shared; empty when a prefix pair remaps one single topic
 * @param direction    which way messages cross
 * @param qos          the QoS of the bridge's subscriptions for this pattern (0, 1 or 2)
 * @param localPrefix  added on the local side; empty for none
 * @param remotePrefix added on the remote side; empty for none
 */
public record BridgeTopic(String pattern, Direction direction, int qos, String localPrefix, String remotePrefix) {

    /** Which way messages on a bridge topic cross. */
    public enum Direction {
        /** Local messages go to the remote broker. */
        OUT,
        /** Remote messages come to the local broker. */
        IN,
        /** Both ways. */
        BOTH;

        public boolean outgoing() {
            return this != IN;
        }

        public boolean incoming() {
            return this != OUT;
        }
    }

    public BridgeTopic {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(localPrefix, "localPrefix");
        Objects.requireNonNull(remotePrefix, "remotePrefix");
    }

    /** The filter the bridge subscribes to on the local broker (for {@code out} and {@code both}). */
    public String localFilter() {
        return localPrefix + pattern;
    }

    /** The filter the bridge subscribes to on the remote broker (for {@code in} and {@code both}). */
    public String remoteFilter() {
        return remotePrefix + pattern;
    }

    /** The remote topic of a local message this pattern sends out, if it matches the local filter. */
    public Optional<String> toRemote(String localTopic) {
        return remap(localTopic, localFilter(), localPrefix, remotePrefix);
    }

    /** The local topic of a remote message this pattern brings in, if it matches the remote filter. */
    public Optional<String> toLocal(String remoteTopic) {
        return remap(remoteTopic, remoteFilter(), remotePrefix, localPrefix);
    }

    private static Optional<String> remap(String topic, String filter, String strip, String add) {
        if (!Topics.matches(filter, topic) || !topic.startsWith(strip)) {
            return Optional.empty();
        }
        return Optional.of(add + topic.substring(strip.length()));
    }
}
