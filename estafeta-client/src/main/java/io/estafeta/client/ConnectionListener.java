package io.estafeta.client;

/** Hears about the connection coming and going. Called on the client's event loop: do not block. */
public interface ConnectionListener {

    /** The server accepted a connection: the first one, or one made by automatic reconnect. */
    default void connected(ConnAck connAck) {
    }

    /**
     * An accepted connection ended without this client asking for it (network error, keep-alive
     * timeout, a DISCONNECT from the server). Not called after {@link MqttClient#disconnect()}.
     *
     * @param willReconnect whether automatic reconnect will try again
     */
    default void connectionLost(Throwable cause, boolean willReconnect) {
    }
}
