package io.estafeta.broker.routing;

import io.estafeta.broker.message.ApplicationMessage;

import java.util.concurrent.CompletableFuture;

/** Where the router hands a matched message: a client's session. All methods are thread-safe. */
public interface MessageSink {

    /**
     * Delivers (or queues) the message at the given QoS, carrying the identifiers of the
     * subscriptions it matched (MQTT 5; empty for none).
     *
     * @return when the message is durable for this sink, or null when it is not stored
     */
    default CompletableFuture<Void> offer(ApplicationMessage message, int qos, int[] subscriptionIds) {
        return offer(message, qos, subscriptionIds, null);
    }

    /**
     * Delivers (or queues) a message chosen for this client by a shared subscription group, which
     * gets it back for another member if this client's session ends before acknowledging it.
     *
     * @return when the message is durable for this sink, or null when it is not stored
     */
    CompletableFuture<Void> offer(ApplicationMessage message, int qos, int[] subscriptionIds, SharedGroup sharedGroup);

    /** Delivers (or queues) the message at the given QoS, without subscription identifiers. */
    default CompletableFuture<Void> offer(ApplicationMessage message, int qos) {
        return offer(message, qos, NO_SUBSCRIPTION_IDS);
    }

    /** Whether a connection is attached: shared subscriptions prefer members that are online. */
    boolean isOnline();

    /** The username of the client's (last) connection, for authorization; null if anonymous. */
    String username();

    int[] NO_SUBSCRIPTION_IDS = new int[0];

    /** Whether publishers feeding this sink should pause. */
    boolean isCongested();

    /** Remembers a paused publisher, to resume it when this sink drains. */
    void addPausedPublisher(PausablePublisher publisher);
}
