package io.estafeta.bench;

import java.util.concurrent.TimeUnit;

/**
 * When a rate-limited publisher's messages are due. Publisher {@code index} of {@code publishers} sharing
 * {@code rate} messages a second sends its k-th message at {@code start + (index + k * publishers) / rate}:
 * together they send at evenly spaced instants, not in bursts of one message from each at the same moment.
 * Latency is measured from these instants, not from the actual write, so that a sender that falls behind
 * shows in the figures instead of hiding (coordinated omission).
 *
 * @param startNanos    {@link System#nanoTime()} at which the schedule begins
 * @param intervalNanos time between two messages of this publisher
 * @param offsetNanos   time from the start to this publisher's first message
 */
record SendSchedule(long startNanos, double intervalNanos, double offsetNanos) {

    private static final double NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    SendSchedule {
        if (!(intervalNanos > 0)) {
            throw new IllegalArgumentException("interval must be positive: " + intervalNanos);
        }
        if (offsetNanos < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + offsetNanos);
        }
    }

    /** Publisher {@code index} (from 0) of {@code publishers} that share {@code rate} messages a second. */
    static SendSchedule forPublisher(long startNanos, long rate, int publishers, int index) {
        if (rate <= 0 || publishers < 1 || index < 0 || index >= publishers) {
            throw new IllegalArgumentException("rate " + rate + ", publisher " + index + " of " + publishers);
        }
        double spacing = NANOS_PER_SECOND / rate;
        return new SendSchedule(startNanos, spacing * publishers, spacing * index);
    }

    /** When message {@code message} (from 0) is due. */
    long dueNanos(long message) {
        return startNanos + (long) (offsetNanos + message * intervalNanos);
    }

    /** How many messages are due at or before {@code nowNanos}: message k is due iff k is below it. */
    long dueBy(long nowNanos) {
        if (nowNanos < dueNanos(0)) {
            return 0;
        }
        long message = (long) ((nowNanos - startNanos - offsetNanos) / intervalNanos);
        // The division and dueNanos round differently: settle on dueNanos's answer.
        while (dueNanos(message + 1) <= nowNanos) {
            message++;
        }
        while (message > 0 && dueNanos(message) > nowNanos) {
            message--;
        }
        return message + 1;
    }
}
