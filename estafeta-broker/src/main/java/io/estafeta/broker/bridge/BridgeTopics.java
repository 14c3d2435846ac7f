package io.estafeta.broker.bridge;

import io.estafeta.broker.config.BridgeTopic;

import java.util.List;
import java.util.Optional;

/**
 * A bridge's {@code topic} lines taken together: which local messages go out and under which remote
 * topic, which remote messages come in and under which local topic. As in Mosquitto, the first line
 * (in configuration order) whose full filter matches decides the remapping.
 */
final class BridgeTopics {

    private final List<BridgeTopic> topics;

    BridgeTopics(List<BridgeTopic> topics) {
        this.topics = List.copyOf(topics);
    }

    /** The {@code out} and {@code both} lines: what the local session subscribes to. */
    List<BridgeTopic> outgoing() {
        return topics.stream().filter(topic -> topic.direction().outgoing()).toList();
    }

    /** The {@code in} and {@code both} lines: what the bridge subscribes to on the remote broker. */
    List<BridgeTopic> incoming() {
        return topics.stream().filter(topic -> topic.direction().incoming()).toList();
    }

    /** The remote topic for a local message, or empty if no outgoing line takes it. */
    Optional<String> toRemote(String localTopic) {
        for (BridgeTopic topic : topics) {
            if (topic.direction().outgoing()) {
                Optional<String> remote = topic.toRemote(localTopic);
                if (remote.isPresent()) {
                    return remote;
                }
            }
        }
        return Optional.empty();
    }

    /** The local topic for a remote message, or empty if no incoming line takes it. */
    Optional<String> toLocal(String remoteTopic) {
        for (BridgeTopic topic : topics) {
            if (topic.direction().incoming()) {
                Optional<String> local = topic.toLocal(remoteTopic);
                if (local.isPresent()) {
                    return local;
                }
            }
        }
        return Optional.empty();
    }
}
