package io.estafeta.bench;

/**
 * The timing of the rate-limited publishers on one event loop. A publisher asks to be woken a
 * {@link WakeUpMargin} before its next message is due and spins the rest of the way, so that the message
 * leaves within microseconds of its scheduled time instead of the 50-150 µs (and more on a busy core) that a
 * timed wake-up alone comes late. Spinning costs CPU, so it is bounded: never more than
 * {@code spinLimitNanos} before a send, which the run sets to a quarter of the time between two sends of the
 * loop, so that at most a quarter of the loop's time goes to spinning at any rate.
 *
 * <p>Confined to its event loop, except {@link #spunNanos()}.
 */
final class Pacer {

    private final WakeUpMargin margin = new WakeUpMargin();
    private final long spinLimitNanos;
    /** Written by the loop only; read by the CPU accounting of other threads. */
    private volatile long spunNanos;

    Pacer(long spinLimitNanos) {
        if (spinLimitNanos < 0) {
            throw new IllegalArgumentException("spin limit must not be negative: " + spinLimitNanos);
        }
        this.spinLimitNanos = spinLimitNanos;
    }

    /** When to ask to be woken for a send due at {@code dueNanos}. */
    long wakeUpAt(long dueNanos) {
        return dueNanos - Math.min(margin.nanos(), spinLimitNanos);
    }

    /** A timed wake-up asked for {@code askedNanos} came at {@code nowNanos}. */
    void wokeUp(long askedNanos, long nowNanos) {
        margin.observe(nowNanos - askedNanos);
    }

    /** Whether a send due at {@code dueNanos} is near enough to spin for, rather than sleep. */
    boolean withinSpin(long dueNanos, long nowNanos) {
        return dueNanos - nowNanos <= spinLimitNanos;
    }

    /** Spins until {@code dueNanos}; returns {@link System#nanoTime()} then. */
    long spinUntil(long dueNanos) {
        long start = System.nanoTime();
        long now = start;
        while (now < dueNanos) {
            Thread.onSpinWait();
            now = System.nanoTime();
        }
        spunNanos += now - start; // a single writer: the loop
        return now;
    }

    /** Time spent spinning so far. Any thread. */
    long spunNanos() {
        return spunNanos;
    }

    /** The current wake-up margin. */
    long marginNanos() {
        return Math.min(margin.nanos(), spinLimitNanos);
    }
}
