package io.estafeta.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to try again after an established connection is lost: never (the default), after a delay that
 * doubles with every failed attempt from {@code initialDelay} up to {@code maxDelay}, or after a random
 * delay with "decorrelated jitter" (what Mosquitto's bridges use for {@code restart_timeout base cap}).
 *
 * <p>Only a connection that was once accepted is re-established automatically; a first
 * {@link MqttClient#connect()} that fails is reported to its caller, who decides.
 *
 * @param jitter whether the delay is drawn at random between {@code initialDelay} and three times the
 *               previous delay (capped at {@code maxDelay}) instead of doubling
 */
public record ReconnectPolicy(boolean enabled, Duration initialDelay, Duration maxDelay, boolean jitter) {

    private static final ReconnectPolicy DISABLED = new ReconnectPolicy(false, Duration.ZERO, Duration.ZERO, false);
    private static final int BACKOFF_FACTOR = 2;
    /** Decorrelated jitter draws the next delay below three times the previous one. */
    private static final int JITTER_FACTOR = 3;

    public ReconnectPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= initialDelay <= maxDelay, got " + initialDelay
                    + " and " + maxDelay);
        }
    }

    /** No automatic reconnect. */
    public static ReconnectPolicy disabled() {
        return DISABLED;
    }

    /** Reconnect after {@code initialDelay}, doubling the delay after each failed attempt up to {@code maxDelay}. */
    public static ReconnectPolicy exponentialBackoff(Duration initialDelay, Duration maxDelay) {
        return new ReconnectPolicy(true, initialDelay, maxDelay, false);
    }

    /** Reconnect after the same delay every time. */
    public static ReconnectPolicy constant(Duration delay) {
        return new ReconnectPolicy(true, delay, delay, false);
    }

    /**
     * Reconnect after {@code base} first, then after a random delay between {@code base} and three times
     * the previous delay, never more than {@code cap} ("decorrelated jitter": clients that lost the same
     * server do not all come back at once).
     */
    public static ReconnectPolicy decorrelatedJitter(Duration base, Duration cap) {
        return new ReconnectPolicy(true, base, cap, true);
    }

    /** How long to wait before attempt number {@code attempt} (1 for the first attempt after a loss); no jitter. */
    public Duration delayBefore(int attempt) {
        Duration delay = initialDelay;
        for (int i = 1; i < attempt && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(BACKOFF_FACTOR);
        }
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    /**
     * The delay before the next attempt.
     *
     * @param previous the delay before the attempt that just failed, or {@code null} for the first attempt
     */
    public Duration nextDelay(Duration previous) {
        if (previous == null) {
            return initialDelay;
        }
        Duration next;
        if (jitter) {
            long low = initialDelay.toMillis();
            long high = Math.max(low, previous.toMillis() * JITTER_FACTOR);
            next = Duration.ofMillis(low == high ? low : ThreadLocalRandom.current().nextLong(low, high + 1));
        } else {
            next = previous.multipliedBy(BACKOFF_FACTOR);
        }
        return next.compareTo(maxDelay) > 0 ? maxDelay : next;
    }
}
