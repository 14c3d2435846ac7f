package io.estafeta.broker.session;

import io.estafeta.broker.message.ApplicationMessage;

/** A message waiting in a session's queue, with the QoS it will be delivered at. */
record QueuedMessage(ApplicationMessage message, int qos) {
}
