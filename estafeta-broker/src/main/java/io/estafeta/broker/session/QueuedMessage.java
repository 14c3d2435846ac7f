package io.estafeta.broker.session;

import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.routing.SharedGroup;
import io.estafeta.broker.store.DeliveryHandle;

/**
 * A message waiting in a session's queue, with the QoS and subscription identifiers of its delivery,
 * the shared subscription group it was chosen by (or null), and its record in the store (or null when
 * the session is not stored).
 */
record QueuedMessage(ApplicationMessage message, int qos, int[] subscriptionIds, SharedGroup sharedGroup,
                     DeliveryHandle stored) {
}
