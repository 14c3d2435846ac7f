package io.estafeta.broker.transport;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * Who has stopped reading a connection's socket. Several parts of the broker may stop reading one
 * connection for their own reasons (a congested subscriber, a session claim under way, the publish rate
 * limit); the socket is read again only when none of them holds it. Touched only on the channel's event
 * loop; nothing else changes a connection's {@code autoRead}.
 *
 * <p>Every connection stops reading while its session is claimed, but few ever meet a second reason: as
 * long as only the connection's own reason was used, {@code autoRead} is that reason's flag and the channel
 * carries nothing else (idle connections are many). A set of reasons is attached to the channel when a
 * second reason first suspends it, starting from what {@code autoRead} says of the first.
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

    private ReadSuspensions(int held) {
        this.held = held;
    }

    /**
     * Suspends or resumes reading for one reason; the socket is read when no reason holds it. Call on the
     * channel's event loop.
     */
    static void set(Channel channel, Reason reason, boolean suspended) {
        int bit = 1 << reason.ordinal();
        ReadSuspensions suspensions = channel.hasAttr(KEY) ? channel.attr(KEY).get() : null;
        if (suspensions == null) {
            if (reason == Reason.CONNECTION) {
                // The only reason used so far: autoRead is its flag.
                channel.config().setAutoRead(!suspended);
                return;
            }
            if (!suspended) {
                // This reason never held the channel: nothing changes.
                return;
            }
            int connection = channel.config().isAutoRead() ? 0 : 1 << Reason.CONNECTION.ordinal();
            suspensions = new ReadSuspensions(connection);
            channel.attr(KEY).set(suspensions);
        }
        suspensions.held = suspended ? suspensions.held | bit : suspensions.held & ~bit;
        // Netty's autoRead: off clears the socket's read interest, on asks for a read at once.
        channel.config().setAutoRead(suspensions.held == 0);
    }
}
