package io.estafeta.client;

/**
 * Receives the application messages the server delivers. Called on the client's event loop, one
 * message at a time, in order: do not block in it. A QoS 1 message is acknowledged after this returns.
 */
@FunctionalInterface
public interface MessageListener {

    void onMessage(ReceivedMessage message);
}
