package io.estafeta.broker.metrics;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The broker's counters: the one place they live. Cheap to bump from any event loop (striped adders, arrays
 * indexed by QoS, no lookups); read as a {@link Snapshot} by the $SYS topics ({@code io.estafeta.broker.sys})
 * and one by one by the Prometheus endpoint, which reads these counters rather than keeping its own.
 */
public final class BrokerMetrics {

    /** QoS 0, 1 and 2. */
    public static final int QOS_LEVELS = 3;

    /** Why a connection was refused before it became a client. */
    public enum RefusalCause {
        /** Bad username or password, or not authorized (CONNACK 0x04/0x05, 5.0: 0x86/0x87). */
        NOT_AUTHORIZED("not_authorized"),
        /** The client identifier was refused (CONNACK 0x02, 5.0: 0x85). */
        IDENTIFIER_REJECTED("identifier_rejected"),
        /** A protocol version the broker does not speak (CONNACK 0x01, 5.0: 0x84). */
        UNSUPPORTED_PROTOCOL_VERSION("protocol_version"),
        /** The broker was too busy to authenticate it (CONNACK 0x03, 5.0: 0x88/0x89). */
        SERVER_UNAVAILABLE("server_unavailable"),
        /** Its listener had {@code max_connections}, or the broker {@code max_connections_total}, open. */
        MAX_CONNECTIONS("max_connections"),
        /** Its address had {@code max_connections_per_address} open: closed right after accept. */
        MAX_CONNECTIONS_PER_ADDRESS("max_connections_per_address"),
        /** A malformed CONNECT, a protocol error or another refusal. */
        OTHER("other");

        private final String label;

        RefusalCause(String label) {
            this.label = label;
        }

        /** The cause as metrics label it, in snake case. */
        public String label() {
            return label;
        }
    }

    private final AtomicInteger connectedClients = new AtomicInteger();
    private final AtomicInteger maximumConnectedClients = new AtomicInteger();
    private final LongAdder totalConnections = new LongAdder();
    private final LongAdder socketsOpened = new LongAdder();
    private final LongAdder[] messagesReceived = adders(QOS_LEVELS);
    private final LongAdder[] payloadBytesReceived = adders(QOS_LEVELS);
    private final LongAdder[] messagesSent = adders(QOS_LEVELS);
    private final LongAdder[] payloadBytesSent = adders(QOS_LEVELS);
    private final LongAdder packetsReceived = new LongAdder();
    private final LongAdder connectPacketsReceived = new LongAdder();
    private final LongAdder packetsSent = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder qos0DroppedSlowClient = new LongAdder();
    private final LongAdder queuedDroppedQueueFull = new LongAdder();
    private final LongAdder publisherPauses = new LongAdder();
    private final LongAdder oversizeDropped = new LongAdder();
    private final LongAdder publishNotAuthorized = new LongAdder();
    private final LongAdder protocolViolations = new LongAdder();
    private final LongAdder[] connectionsRefused = adders(RefusalCause.values().length);
    private final LongAdder publishesRefusedByStore = new LongAdder();
    private final LongAdder publishRateThrottles = new LongAdder();
    private final LongAdder slowConsumersClosed = new LongAdder();

    private static LongAdder[] adders(int count) {
        LongAdder[] adders = new LongAdder[count];
        for (int i = 0; i < count; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    public void clientConnected() {
        int now = connectedClients.incrementAndGet();
        totalConnections.increment();
        // Once per connection, not per message: a compare-and-set loop is cheap enough here.
        maximumConnectedClients.accumulateAndGet(now, Math::max);
    }

    public void clientDisconnected() {
        connectedClients.decrementAndGet();
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

    /** An MQTT control packet of any type was written: handed to the encoder, or (PUBLISH) encoded by the connection. */
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

    /** A PUBLISH arrived from a client (counted before authorization and routing). */
    public void messageReceived(int qos, int payloadBytes) {
        messagesReceived[qos].increment();
        payloadBytesReceived[qos].add(payloadBytes);
    }

    /** A PUBLISH was written to a client, at the QoS it was delivered with. */
    public void messageSent(int qos, int payloadBytes) {
        messagesSent[qos].increment();
        payloadBytesSent[qos].add(payloadBytes);
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

    /**
     * A PUBLISH was dropped because of its size: above {@code message_size_limit} (acknowledged), or above
     * the receiving client's Maximum Packet Size ([MQTT-3.1.2-25]).
     */
    public void droppedOversize() {
        oversizeDropped.increment();
    }

    /** A PUBLISH the ACL does not allow its client to publish was dropped. */
    public void droppedNotAuthorized() {
        publishNotAuthorized.increment();
    }

    public void protocolViolation() {
        protocolViolations.increment();
    }

    /** A connection was refused (CONNACK with a failure, or closed right after accept at a limit). */
    public void connectionRefused(RefusalCause cause) {
        connectionsRefused[cause.ordinal()].increment();
    }

    /**
     * A connection was closed right after accept because its listener had max_connections open, or the
     * broker max_connections_total.
     */
    public void connectionRefusedAtLimit() {
        connectionRefused(RefusalCause.MAX_CONNECTIONS);
    }

    /** A connection was closed right after accept: its address had max_connections_per_address open. */
    public void connectionRefusedPerAddress() {
        connectionRefused(RefusalCause.MAX_CONNECTIONS_PER_ADDRESS);
    }

    /** A QoS 1/2 PUBLISH was not acknowledged as received because the store could not take it. */
    public void publishRefusedByStore() {
        publishesRefusedByStore.increment();
    }

    /** A client went over max_publish_rate / max_publish_bytes_rate and its socket stopped being read. */
    public void publishRateThrottled() {
        publishRateThrottles.increment();
    }

    /** A connection holding more than its share of the used-up outbound_memory_budget was closed. */
    public void slowConsumerClosed() {
        slowConsumersClosed.increment();
    }

    // Single readers for the Prometheus endpoint: each reads one adder, no snapshot needed.

    public int connectedClients() {
        return connectedClients.get();
    }

    public long totalConnections() {
        return totalConnections.sum();
    }

    public long messagesReceived(int qos) {
        return messagesReceived[qos].sum();
    }

    public long payloadBytesReceived(int qos) {
        return payloadBytesReceived[qos].sum();
    }

    public long messagesSent(int qos) {
        return messagesSent[qos].sum();
    }

    public long payloadBytesSent(int qos) {
        return payloadBytesSent[qos].sum();
    }

    /** Bytes of MQTT packets read, every packet included (below TLS and WebSocket framing). */
    public long networkBytesReceived() {
        return bytesReceived.sum();
    }

    /** Bytes of MQTT packets written, every packet included (below TLS and WebSocket framing). */
    public long networkBytesSent() {
        return bytesSent.sum();
    }

    public long connectionsRefused(RefusalCause cause) {
        return connectionsRefused[cause.ordinal()].sum();
    }

    public long qos0DroppedSlowClient() {
        return qos0DroppedSlowClient.sum();
    }

    public long droppedQueueFullCount() {
        return queuedDroppedQueueFull.sum();
    }

    public long droppedOversizeCount() {
        return oversizeDropped.sum();
    }

    public long droppedNotAuthorizedCount() {
        return publishNotAuthorized.sum();
    }

    public long publisherPauses() {
        return publisherPauses.sum();
    }

    public long protocolViolations() {
        return protocolViolations.sum();
    }

    public long publishesRefusedByStore() {
        return publishesRefusedByStore.sum();
    }

    public long publishRateThrottles() {
        return publishRateThrottles.sum();
    }

    public long slowConsumersClosed() {
        return slowConsumersClosed.sum();
    }

    public Snapshot snapshot() {
        return new Snapshot(connectedClients.get(), totalConnections.sum(), sum(messagesReceived),
                sum(messagesSent), qos0DroppedSlowClient.sum(), queuedDroppedQueueFull.sum(),
                publisherPauses.sum(), oversizeDropped.sum(), protocolViolations.sum(),
                connectionsRefused(RefusalCause.MAX_CONNECTIONS), maximumConnectedClients.get(), socketsOpened.sum(),
                packetsReceived.sum(), packetsSent.sum(), connectPacketsReceived.sum(), bytesReceived.sum(),
                bytesSent.sum(), sum(payloadBytesReceived), sum(payloadBytesSent), publishNotAuthorized.sum(),
                sum(connectionsRefused), publishesRefusedByStore.sum(),
                connectionsRefused(RefusalCause.MAX_CONNECTIONS_PER_ADDRESS), publishRateThrottles.sum(),
                slowConsumersClosed.sum());
    }

    private static long sum(LongAdder[] adders) {
        long total = 0;
        for (LongAdder adder : adders) {
            total += adder.sum();
        }
        return total;
    }

    /**
     * The counters at one moment (totals over QoS levels and causes). {@code messagesReceived}/{@code
     * messagesSent} count PUBLISH packets, {@code packetsReceived}/{@code packetsSent} packets of every type.
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
            long payloadBytesReceived,
            long payloadBytesSent,
            long droppedNotAuthorized,
            long connectionsRefused,
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
