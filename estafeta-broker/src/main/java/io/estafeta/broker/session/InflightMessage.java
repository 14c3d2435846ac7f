package io.estafeta.broker.session;

import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.routing.SharedGroup;
import io.estafeta.broker.store.DeliveryHandle;

/**
 * An outgoing QoS 1 or 2 message sent to the client and not yet fully acknowledged. Confined to the
 * session's event loop.
 */
final class InflightMessage {

    private final int packetId;
    private final int qos;
    private final boolean retain;
    private final int[] subscriptionIds;
    private final SharedGroup sharedGroup;
    /** Its record in the store, or null when the session is not stored. */
    private final DeliveryHandle stored;
    private ApplicationMessage message;
    private boolean released;
    /** Carried over from an earlier connection and not yet re-sent on this one. */
    private boolean awaitingResend;
    /**
     * Not written yet: a QoS 2 message to a stored session waits until its packet identifier is durable
     * (a restart would otherwise send it again under a new identifier: twice to the client), and the
     * messages sent after it wait behind it, to keep their order.
     */
    private boolean heldUntilStored;
    /** Whatever it waits for in the store is done: it may go once those before it have gone. */
    private boolean readyToSend;

    InflightMessage(int packetId, ApplicationMessage message, int qos, boolean retain, int[] subscriptionIds,
                    SharedGroup sharedGroup, DeliveryHandle stored) {
        this.packetId = packetId;
        this.stored = stored;
        this.subscriptionIds = subscriptionIds;
        this.sharedGroup = sharedGroup;
        this.message = message;
        this.qos = qos;
        this.retain = retain;
    }

    int packetId() {
        return packetId;
    }

    int qos() {
        return qos;
    }

    boolean retain() {
        return retain;
    }

    SharedGroup sharedGroup() {
        return sharedGroup;
    }

    int[] subscriptionIds() {
        return subscriptionIds;
    }

    DeliveryHandle stored() {
        return stored;
    }

    ApplicationMessage message() {
        return message;
    }

    boolean isAwaitingResend() {
        return awaitingResend;
    }

    void setAwaitingResend(boolean value) {
        awaitingResend = value;
    }

    boolean isHeldUntilStored() {
        return heldUntilStored;
    }

    void setHeldUntilStored(boolean value) {
        heldUntilStored = value;
    }

    boolean isReadyToSend() {
        return readyToSend;
    }

    void setReadyToSend() {
        readyToSend = true;
    }

    /** QoS 2: the client sent PUBREC; only PUBREL/PUBCOMP remain, so the payload can go. */
    boolean isReleased() {
        return released;
    }

    void markReleased() {
        released = true;
        message = null;
    }
}
