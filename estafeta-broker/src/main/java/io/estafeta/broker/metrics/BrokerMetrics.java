package io.estafeta.broker.metrics;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The broker's counters. Cheap to bump from any event loop (striped adders); read as a snapshot, which
 * the $SYS topics ({@code io.estafeta.broker.sys}) publish.
 */
public final class BrokerMetrics {

    private final AtomicInteger connectedClients = new AtomicInteger();
    private final AtomicInteger maximumConnectedClients = new AtomicInteger();
    private final LongAdder socketsOpened = new LongAdder();
    private final LongAdder packetsReceived = new LongAdder();
    private final LongAdder packetsSent = new LongAdder();
    private final LongAdder connectPacketsReceived = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder totalConnections = new LongAdder();
    private final LongAdder messagesReceived = new LongAdder();
    private final LongAdder messagesSent = new LongAdder();
    private final LongAdder qos0DroppedSlowClient = new LongAdder();
    private final LongAdder queuedDroppedQueueFull = new LongAdder();
    private final LongAdder publisherPauses = new LongAdder();
    private final LongAdder oversizeDropped = new LongAdder();
    private final LongAdder protocolViolations = new LongAdder();
    private final LongAdder connectionsRefusedAtLimit = new LongAdder();
    private final LongAdder publishesRefusedByStore = new LongAdder();
    private final LongAdder connectionsRefusedPerAddress = new LongAdder();
    private final LongAdder publishRateThrottles = new LongAdder();
    private final LongAdder slowConsumersClosed = new LongAdder();

    public void clientConnected() {
        int now = connectedClients.incrementAndGet();
        totalConnections.increment();
        // Once per connection, not per message: a compare-and-set loop is cheap enough here.
        maximumConnectedClients.accumulateAndGet(now, Math::max);
    }

    /** A connection was accepted on a listener (before any check or handshake). */
    public void socketOpened() {
        socketsOpened.increment();
    }

    /** An MQTT control packet of any type arrived; {@code connect} for CONNECT. */
    public void packetReceived(boolean connect) {
        packetsReceived.increment();
        if (connect) {
            connectPacketsReceived.increment();
        }
    }

    /** An MQTT control packet of any type was handed to the encoder. */
    public void packetSent() {
        packetsSent.increment();
    }

    /** Bytes of MQTT packets read from a client (below TLS and WebSocket framing). */
    public void bytesReceived(int count) {
        bytesReceived.add(count);
    }

    /** Bytes of MQTT packets written to a client (below TLS and WebSocket framing). */
    public void bytesSent(int count) {
        bytesSent.add(count);
    }

    public void clientDisconnected() {
        connectedClients.decrementAndGet();
    }

    public void messageReceived() {
        messagesReceived.increment();
    }

    public void messageSent() {
        messagesSent.increment();
    }

    /** A QoS 0 message was not written because the client's socket could not take more. */
    public void qos0DroppedForSlowClient() {
        qos0DroppedSlowClient.increment();
    }

    /** A QoS 1/2 (or queued QoS 0) message was not queued because the client's queue was full. */
    public void droppedQueueFull() {
        queuedDroppedQueueFull.increment();
    }

    /** A publisher's socket stopped being read because a subscriber it feeds is congested. */
    public void publisherPaused() {
        publisherPauses.increment();
    }

    /** A PUBLISH was dropped (and acknowledged) because its payload exceeded message_size_limit. */
    public void droppedOversize() {
        oversizeDropped.increment();
    }

    public void protocolViolation() {
        protocolViolations.increment();
    }

    /**
     * A connection was closed right after accept because its listener had max_connections open, or the
     * broker max_connections_total.
     */
    public void connectionRefusedAtLimit() {
        connectionsRefusedAtLimit.increment();
    }

    /** A QoS 1/2 PUBLISH was not acknowledged as received because the store could not take it. */
    public void publishRefusedByStore() {
        publishesRefusedByStore.increment();
    }

    /** A connection was closed right after accept: its address had max_connections_per_address open. */
    public void connectionRefusedPerAddress() {
        connectionsRefusedPerAddress.increment();
    }

    /** A client went over max_publish_rate / max_publish_bytes_rate and its socket stopped being read. */
    public void publishRateThrottled() {
        publishRateThrottles.increment();
    }

    /** A connection holding more than its share of the used-up outbound_memory_budget was closed. */
    public void slowConsumerClosed() {
        slowConsumersClosed.increment();
    }

    public Snapshot snapshot() {
        return new Snapshot(connectedClients.get(), totalConnections.sum(), messagesReceived.sum(),
                messagesSent.sum(), qos0DroppedSlowClient.sum(), queuedDroppedQueueFull.sum(),
                publisherPauses.sum(), oversizeDropped.sum(), protocolViolations.sum(),
                connectionsRefusedAtLimit.sum(), maximumConnectedClients.get(), socketsOpened.sum(),
                packetsReceived.sum(), packetsSent.sum(), connectPacketsReceived.sum(), bytesReceived.sum(),
                bytesSent.sum(), publishesRefusedByStore.sum(),
                connectionsRefusedPerAddress.sum(), publishRateThrottles.sum(), slowConsumersClosed.sum());
    }

    /**
     * The counters at one moment. {@code messagesReceived}/{@code messagesSent} count PUBLISH packets,
     * {@code packetsReceived}/{@code packetsSent} count packets of every type.
     */
    public record Snapshot(
            int connectedClients,
            long totalConnections,
            long messagesReceived,
            long messagesSent,
            long qos0DroppedSlowClient,
            long droppedQueueFull,
            long publisherPauses,
            long droppedOversize,
            long protocolViolations,
            long connectionsRefusedAtLimit,
            int maximumConnectedClients,
            long socketsOpened,
            long packetsReceived,
            long packetsSent,
            long connectPacketsReceived,
            long bytesReceived,
            long bytesSent,
            long publishesRefusedByStore,
            long connectionsRefusedPerAddress,
            long publishRateThrottles,
            long slowConsumersClosed) {

        /** PUBLISH messages dropped for a full queue or a slow client (Mosquitto's publish/messages/dropped). */
        public long publishDropped() {
            return qos0DroppedSlowClient + droppedQueueFull;
        }
    }
}
