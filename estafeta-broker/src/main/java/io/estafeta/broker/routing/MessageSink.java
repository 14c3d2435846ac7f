package io.estafeta.broker.routing;

import io.estafeta.broker.message.ApplicationMessage;

/** Where the router hands a matched message: a client's session. All methods are thread-safe. */
public interface MessageSink {

    /**
     * Delivers (or queues) the message at the given QoS, carrying the identifiers of the
     * subscriptions it matched (MQTT 5; empty for none).
     */
    default void offer(ApplicationMessage message, int qos, int[] subscriptionIds) {
        offer(message, qos, subscriptionIds, null);
    }

    /**
     * Delivers (or queues) a message chosen for this client by a shared subscription group, which
     * gets it back for another member if this client's session ends before acknowledging it.
     */
    void offer(ApplicationMessage message, int qos, int[] subscriptionIds, SharedGroup sharedGroup);

    /** Delivers (or queues) the message at the given QoS, without subscription identifiers. */
    default void offer(ApplicationMessage message, int qos) {
        offer(message, qos, NO_SUBSCRIPTION_IDS);
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
