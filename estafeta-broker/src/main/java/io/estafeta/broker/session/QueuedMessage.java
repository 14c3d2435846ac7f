package io.estafeta.broker.session;

import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.routing.SharedGroup;

/**
 * A message waiting in a session's queue, with the QoS and subscription identifiers of its delivery
 * and the shared subscription group it was chosen by (or null).
 */
record QueuedMessage(ApplicationMessage message, int qos, int[] subscriptionIds, SharedGroup sharedGroup) {
}
