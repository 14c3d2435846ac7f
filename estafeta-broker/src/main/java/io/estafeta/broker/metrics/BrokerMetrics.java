package io.estafeta.broker.metrics;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The broker's counters: the one place they live. Cheap to bump from any event loop (striped adders, arrays
 * indexed by QoS, no lookups); read as a {@link Snapshot}, by $SYS topics and by the Prometheus endpoint,
 * which reads these counters rather than keeping its own.
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
        /** Its listener had {@code max_connections} open: closed right after accept. */
        MAX_CONNECTIONS("max_connections"),
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
    private final LongAdder totalConnections = new LongAdder();
    private final LongAdder[] messagesReceived = adders(QOS_LEVELS);
    private final LongAdder[] payloadBytesReceived = adders(QOS_LEVELS);
    private final LongAdder[] messagesSent = adders(QOS_LEVELS);
    private final LongAdder[] payloadBytesSent = adders(QOS_LEVELS);
    private final LongAdder networkBytesReceived = new LongAdder();
    private final LongAdder networkBytesSent = new LongAdder();
    private final LongAdder qos0DroppedSlowClient = new LongAdder();
    private final LongAdder queuedDroppedQueueFull = new LongAdder();
    private final LongAdder publisherPauses = new LongAdder();
    private final LongAdder oversizeDropped = new LongAdder();
    private final LongAdder publishNotAuthorized = new LongAdder();
    private final LongAdder protocolViolations = new LongAdder();
    private final LongAdder[] connectionsRefused = adders(RefusalCause.values().length);

    private static LongAdder[] adders(int count) {
        LongAdder[] adders = new LongAdder[count];
        for (int i = 0; i < count; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    public void clientConnected() {
        connectedClients.incrementAndGet();
        totalConnections.increment();
    }

    public void clientDisconnected() {
        connectedClients.decrementAndGet();
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

    /** Bytes read from MQTT sockets (after TLS), every packet included. */
    public void networkBytesReceived(int bytes) {
        networkBytesReceived.add(bytes);
    }

    /** Bytes written to MQTT sockets (before TLS), every packet included. */
    public void networkBytesSent(int bytes) {
        networkBytesSent.add(bytes);
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
     * A message was not sent to a client because it exceeded the client's Maximum Packet Size
     * ([MQTT-3.1.2-25]).
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

    /** A connection was refused (CONNACK with a failure, or closed at max_connections). */
    public void connectionRefused(RefusalCause cause) {
        connectionsRefused[cause.ordinal()].increment();
    }

    /** A connection was closed right after accept because its listener had max_connections open. */
    public void connectionRefusedAtLimit() {
        connectionRefused(RefusalCause.MAX_CONNECTIONS);
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

    public long networkBytesReceived() {
        return networkBytesReceived.sum();
    }

    public long networkBytesSent() {
        return networkBytesSent.sum();
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

    public Snapshot snapshot() {
        return new Snapshot(connectedClients.get(), totalConnections.sum(), sum(messagesReceived),
                sum(messagesSent), qos0DroppedSlowClient.sum(), queuedDroppedQueueFull.sum(),
                publisherPauses.sum(), oversizeDropped.sum(), protocolViolations.sum(),
                connectionsRefused(RefusalCause.MAX_CONNECTIONS), sum(payloadBytesReceived), sum(payloadBytesSent),
                networkBytesReceived.sum(), networkBytesSent.sum(), publishNotAuthorized.sum(), sum(connectionsRefused));
    }

    private static long sum(LongAdder[] adders) {
        long total = 0;
        for (LongAdder adder : adders) {
            total += adder.sum();
        }
        return total;
    }

    /** The counters at one moment (totals over QoS levels and causes). */
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
            long payloadBytesReceived,
            long payloadBytesSent,
            long networkBytesReceived,
            long networkBytesSent,
            long droppedNotAuthorized,
            long connectionsRefused) {
    }
}
