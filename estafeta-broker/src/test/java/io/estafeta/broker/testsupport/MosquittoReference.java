package io.estafeta.broker.testsupport;

import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.testkit.MosquittoBroker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Debian's Mosquitto as the reference broker for the conformance tests
 * ({@code -Destafeta.conformance.reference=mosquitto}), configured with the same limits as an Estafeta
 * {@link BrokerConfig}, so that a test that fails against both is suspect and one that fails only
 * against Estafeta is not.
 */
final class MosquittoReference {

    private MosquittoReference() {
    }

    static MosquittoBroker start(BrokerConfig config, Path directory) {
        List<String> settings = List.of(
                "allow_anonymous true",
                "persistence false",
                "log_dest file " + directory.resolve("mosquitto.log"),
                "log_type all",
                "max_inflight_messages " + config.maxInflightMessages(),
                "max_queued_messages " + config.maxQueuedMessages(),
                "queue_qos0_messages " + config.queueQos0Messages(),
                "max_keepalive " + config.maxKeepalive(),
                "max_packet_size " + config.maxPacketSize(),
                "retain_available " + config.retainAvailable(),
                "max_topic_alias " + config.maxTopicAlias());
        try {
            return MosquittoBroker.start(directory, settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
