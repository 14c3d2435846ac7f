package io.estafeta.broker.session;

import io.estafeta.broker.message.ApplicationMessage;

/** A message waiting in a session's queue, with the QoS and subscription identifiers of its delivery. */
record QueuedMessage(ApplicationMessage message, int qos, int[] subscriptionIds) {
}
