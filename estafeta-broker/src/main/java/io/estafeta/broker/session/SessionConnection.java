package io.estafeta.broker.session;

import io.estafeta.broker.message.ApplicationMessage;
import io.netty.channel.EventLoop;

/**
 * What a session needs from the network connection it is attached to. Implemented by the transport;
 * every method is called on {@link #eventLoop()}.
 */
public interface SessionConnection {

    EventLoop eventLoop();

    /** Whether the socket can take more without buffering beyond its high-water mark. */
    boolean isWritable();

    /**
     * Writes a PUBLISH (flushed soon, together with other writes of the same loop turn).
     *
     * @return false if it was not sent because it exceeds the client's Maximum Packet Size: the
     *         session then treats it as delivered ([MQTT-3.1.2-25])
     */
    boolean sendPublish(ApplicationMessage message, int qos, int packetId, boolean dup, boolean retain,
                        int[] subscriptionIds);

    /** The client's Receive Maximum: how many QoS 1/2 messages it accepts unacknowledged. */
    int receiveMaximum();

    /** Writes a PUBREL for an outgoing QoS 2 message the client has PUBREC'd. */
    void sendPubrel(int packetId);

    /**
     * Another connection has taken this client's session over: close this one as the server, so
     * that its will is published ([MQTT-3.1.4-2]).
     */
    void closeForTakeover();

    /** The username the client authenticated with, or null. */
    String username();

    /** A name for logs: client id and remote address. */
    String describe();

    /** The client's address as {@code host:port}, for operators (admin API). */
    default String clientAddress() {
        return "";
    }

    /** The protocol version the client connected with: "3.1", "3.1.1" or "5.0". */
    default String protocolVersion() {
        return "";
    }

    /** When the connection was accepted as a client (CONNACK sent), epoch milliseconds. */
    default long connectedSinceMillis() {
        return 0;
    }

    /** An operator asked to disconnect this client: close as the server (5.0: DISCONNECT 0x98 first). */
    default void closeByAdministrator() {
        closeForTakeover();
    }
}
