package io.estafeta.broker.http;

import io.estafeta.broker.session.SessionSnapshot;

import java.util.List;

/**
 * Sums over every session at one moment: what the metrics and the live stats show about queues.
 *
 * @param sessions          sessions held (connected or not)
 * @param queuedMessages    messages waiting in all session queues
 * @param maxQueuedMessages the longest single queue
 * @param queuedBytes       payload bytes waiting in all queues
 * @param inflightMessages  QoS 1/2 messages sent and not yet acknowledged, over all sessions
 */
public record SessionTotals(int sessions, long queuedMessages, int maxQueuedMessages, long queuedBytes,
                            long inflightMessages) {

    public static final SessionTotals NONE = new SessionTotals(0, 0, 0, 0, 0);

    public static SessionTotals of(List<SessionSnapshot> snapshots) {
        long queued = 0;
        int longest = 0;
        long bytes = 0;
        long inflight = 0;
        for (SessionSnapshot session : snapshots) {
            queued += session.queuedMessages();
            longest = Math.max(longest, session.queuedMessages());
            bytes += session.queuedBytes();
            inflight += session.inflightMessages();
        }
        return new SessionTotals(snapshots.size(), queued, longest, bytes, inflight);
    }
}
