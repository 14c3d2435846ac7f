package io.estafeta.broker.store;

/**
 * One message stored for one session (queued or in flight), as returned by
 * {@link MessageStore#append}. The session keeps it next to the message and passes it back to
 * {@link MessageStore#markInflight}, {@link MessageStore#markReleased} and {@link MessageStore#remove};
 * it is only meaningful to the store that made it.
 */
public interface DeliveryHandle {

    /** The session the message is stored for. */
    String clientId();

    /**
     * Broker-wide, increasing in the order of {@link MessageStore#append} calls (and across restarts):
     * a session's deliveries sorted by it are in the order they were appended.
     */
    long deliveryId();
}
