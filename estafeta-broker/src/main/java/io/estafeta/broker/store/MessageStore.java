package io.estafeta.broker.store;

import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.routing.SharedGroup;

import java.util.concurrent.CompletableFuture;

/**
 * The outgoing messages of persistent sessions (queued and in flight), and the incoming QoS 2 packet
 * identifiers awaiting PUBREL. Every method may be called from any thread, never blocks, and returns
 * a future that completes when the write is durable ({@link Persistence}).
 *
 * <p>A message appended to many sessions is stored once: the store recognises the same
 * {@link ApplicationMessage} instance and only adds a reference for each further session. It deletes the
 * message when the last session holding it has removed it (or was removed).
 */
public interface MessageStore {

    /**
     * Stores a message for a session, queued ({@code packetId == 0}) or already sent with
     * {@code packetId}. The handle is returned at once; keep it with the message.
     */
    Appended append(String clientId, ApplicationMessage message, int qos, int[] subscriptionIds,
                    SharedGroup sharedGroup, int packetId);

    /** The queued message was sent with this packet identifier. */
    CompletableFuture<Void> markInflight(DeliveryHandle delivery, int packetId);

    /** QoS 2: PUBREC arrived and PUBREL is sent; the message itself is dropped, the packet id kept. */
    CompletableFuture<Void> markReleased(DeliveryHandle delivery);

    /**
     * The message is done with for this session: PUBACK or PUBCOMP arrived, it expired, or the session
     * dropped it. Removing a delivery twice, or after its session was removed, does nothing.
     */
    CompletableFuture<Void> remove(DeliveryHandle delivery);

    /** An incoming QoS 2 PUBLISH with this packet identifier was routed; PUBREL is awaited. */
    CompletableFuture<Void> addInboundQos2(String clientId, int packetId);

    /** PUBREL arrived for this incoming packet identifier. */
    CompletableFuture<Void> removeInboundQos2(String clientId, int packetId);
}
