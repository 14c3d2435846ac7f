package io.estafeta.broker.store;

/** Where a stored outgoing message stands in its QoS flow. */
public enum DeliveryState {
    /** Waiting in the session's queue: not sent yet, no packet identifier. */
    QUEUED,
    /** Sent with a packet identifier, awaiting PUBACK (QoS 1) or PUBREC (QoS 2). */
    IN_FLIGHT,
    /** QoS 2 only: PUBREC received, PUBREL sent, awaiting PUBCOMP; the message itself is no longer kept. */
    RELEASED
}
