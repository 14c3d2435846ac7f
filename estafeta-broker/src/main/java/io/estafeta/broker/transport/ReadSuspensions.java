package io.estafeta.broker.transport;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * Who has stopped reading a connection's socket. Several parts of the broker may stop reading one
 * connection for their own reasons (a congested subscriber, a session claim under way, the publish rate
 * limit); the socket is read again only when none of them holds it. One set of reasons per channel,
 * touched only on the channel's event loop.
 */
final class ReadSuspensions {

    /** Why reading is suspended. */
    enum Reason {
        /** {@link MqttConnection}'s own: a session claim under way, or a congested subscriber. */
        CONNECTION,
        /** The client sent more than {@code max_publish_rate} / {@code max_publish_bytes_rate} allow. */
        PUBLISH_RATE
    }

    private static final AttributeKey<ReadSuspensions> KEY = AttributeKey.valueOf(ReadSuspensions.class.getName());

    private int held;

    private ReadSuspensions() {
    }

    /**
     * Suspends or resumes reading for one reason; the socket is read when no reason holds it. Call on the
     * channel's event loop.
     */
    static void set(Channel channel, Reason reason, boolean suspended) {
        if (!suspended && !channel.hasAttr(KEY)) {
            // Nothing was ever suspended: no need to give the channel an attribute (idle connections are many).
            channel.config().setAutoRead(true);
            return;
        }
        ReadSuspensions suspensions = channel.attr(KEY).get();
        if (suspensions == null) {
            suspensions = new ReadSuspensions();
            channel.attr(KEY).set(suspensions);
        }
        int bit = 1 << reason.ordinal();
        suspensions.held = suspended ? suspensions.held | bit : suspensions.held & ~bit;
        // Netty's autoRead: off clears the socket's read interest, on asks for a read at once.
        channel.config().setAutoRead(suspensions.held == 0);
    }
}
