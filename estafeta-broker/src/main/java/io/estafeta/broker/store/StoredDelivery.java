package io.estafeta.broker.store;

import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.routing.SharedGroup;

/**
 * A stored outgoing message of a session, as read back at start-up.
 *
 * @param handle          for the session's later updates of this message
 * @param message         the message; null once {@link DeliveryState#RELEASED} (QoS 2 past PUBREC). Deliveries
 *                        of one message to several sessions share one instance
 * @param qos             the QoS of the delivery (1 or 2; 0 only with queue_qos0_messages)
 * @param subscriptionIds the MQTT 5 subscription identifiers it matched (empty for none)
 * @param sharedGroup     the shared subscription group that chose this session, or null
 * @param packetId        the packet identifier it was sent with; 0 while {@link DeliveryState#QUEUED}
 * @param state           where it stands in its QoS flow
 */
public record StoredDelivery(DeliveryHandle handle, ApplicationMessage message, int qos, int[] subscriptionIds,
                             SharedGroup sharedGroup, int packetId, DeliveryState state) {
}
