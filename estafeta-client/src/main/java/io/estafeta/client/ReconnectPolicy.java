package io.estafeta.client;

import java.time.Duration;
import java.util.Objects;

/**
 * When to try again after an established connection is lost: never (the default), or after a delay
 * that doubles with every failed attempt, from {@code initialDelay} up to {@code maxDelay}.
 *
 * <p>Only a connection that was once accepted is re-established automatically; a first
 * {@link MqttClient#connect()} that fails is reported to its caller, who decides.
 */
public record ReconnectPolicy(boolean enabled, Duration initialDelay, Duration maxDelay) {

    private static final ReconnectPolicy DISABLED = new ReconnectPolicy(false, Duration.ZERO, Duration.ZERO);
    private static final int BACKOFF_FACTOR = 2;

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
        return new ReconnectPolicy(true, initialDelay, maxDelay);
    }

    /** How long to wait before attempt number {@code attempt} (1 for the first attempt after a loss). */
    public Duration delayBefore(int attempt) {
        Duration delay = initialDelay;
        for (int i = 1; i < attempt && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(BACKOFF_FACTOR);
        }
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }
}
