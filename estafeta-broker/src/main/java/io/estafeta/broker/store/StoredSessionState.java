package io.estafeta.broker.store;

import io.estafeta.broker.routing.Subscription;

import java.util.List;

/**
 * Everything stored for one session.
 *
 * @param session       the session record
 * @param subscriptions its subscriptions (ordinary and shared)
 * @param deliveries    its outgoing QoS 1/2 messages in the order they were appended: the in-flight ones
 *                      ({@code packetId != 0}) are in the order they were sent, followed (in the same list,
 *                      by append order) by the queued ones
 * @param inboundQos2   packet identifiers of incoming QoS 2 messages received and not yet released by PUBREL
 */
public record StoredSessionState(StoredSession session, List<Subscription> subscriptions,
                                 List<StoredDelivery> deliveries, List<Integer> inboundQos2) {

    public StoredSessionState {
        subscriptions = List.copyOf(subscriptions);
        deliveries = List.copyOf(deliveries);
        inboundQos2 = List.copyOf(inboundQos2);
    }

    public String clientId() {
        return session.clientId();
    }
}
