package io.estafeta.bench;

import java.util.concurrent.TimeUnit;

/**
 * How early a pacing thread asks to be woken before a send is due, so that it can spin the rest of the way
 * and send on time. A timed wake-up comes late by the kernel's timer slack (50 µs by default for a thread
 * that is not real-time) plus the scheduler's delay in running the woken thread (more on a virtual machine or
 * a busy core); the margin follows the {@value #QUANTILE} quantile of the lateness seen so far, learnt from
 * each wake-up with a frugal streaming estimate (one number, no allocation): a late wake-up raises it by
 * {@link #STEP_UP_NANOS}, an early one lowers it by {@link #STEP_DOWN_NANOS}, which settles where 10% of the
 * wake-ups are later than the margin. Confined to one thread.
 */
final class WakeUpMargin {

    static final double QUANTILE = 0.9;
    static final long INITIAL_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    static final long MIN_NANOS = TimeUnit.MICROSECONDS.toNanos(5);
    /** Beyond this the wake-up is late because the core was busy, which spinning longer cannot fix cheaply. */
    static final long MAX_NANOS = TimeUnit.MICROSECONDS.toNanos(500);
    static final long STEP_DOWN_NANOS = 100;
    /** Up and down steps in the ratio QUANTILE : 1 - QUANTILE. */
    static final long STEP_UP_NANOS = Math.round(STEP_DOWN_NANOS * QUANTILE / (1 - QUANTILE));

    private long nanos = INITIAL_NANOS;

    /** The current margin. */
    long nanos() {
        return nanos;
    }

    /** Learns from one timed wake-up that came {@code latenessNanos} after the time asked for. */
    void observe(long latenessNanos) {
        if (latenessNanos > nanos) {
            nanos = Math.min(MAX_NANOS, nanos + STEP_UP_NANOS);
        } else if (latenessNanos < nanos) {
            nanos = Math.max(MIN_NANOS, nanos - STEP_DOWN_NANOS);
        }
    }
}
