package io.estafeta.broker.session;

import io.estafeta.broker.config.BrokerConfig;

/**
 * The per-session bounds that protect the broker from slow and absent clients.
 *
 * <p>An offline session queues at most {@code maxQueuedMessages} (and {@code maxQueuedBytes}); past
 * that, new messages are dropped and counted. An online but slow session makes its publishers wait
 * instead (their sockets stop being read, and what was read stays unhandled) once it holds
 * {@code maxQueuedMessages}; the queue may then still grow by the message each paused publisher was
 * handling, up to {@link #onlineHardLimit()}, and only past that are messages dropped.
 */
public record SessionLimits(int maxInflightMessages, int maxQueuedMessages, long maxQueuedBytes,
                            boolean queueQos0Messages) {

    /** Extra room for an online session's queue: one message per publisher paused on it. */
    static final int MIN_ONLINE_OVERFLOW = 1000;

    public static SessionLimits from(BrokerConfig config) {
        return new SessionLimits(config.maxInflightMessages(), config.maxQueuedMessages(),
                config.maxQueuedBytes(), config.queueQos0Messages());
    }

    int onlineHardLimit() {
        long limit = (long) maxQueuedMessages + Math.max(maxQueuedMessages, MIN_ONLINE_OVERFLOW);
        return (int) Math.min(Integer.MAX_VALUE, limit);
    }

    long onlineHardByteLimit() {
        return maxQueuedBytes == 0 ? 0 : saturatedDouble(maxQueuedBytes);
    }

    /** Queue length at which paused publishers are let go again. */
    int resumeThreshold() {
        return maxQueuedMessages / 2;
    }

    private static long saturatedDouble(long value) {
        return value > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : value * 2;
    }
}
