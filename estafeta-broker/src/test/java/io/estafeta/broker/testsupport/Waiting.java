package io.estafeta.broker.testsupport;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

import java.time.Duration;

/** Awaitility set up for loopback tests: checks often (things happen in milliseconds) and gives up after 10 s. */
public final class Waiting {

    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(10);

    private Waiting() {
    }

    public static ConditionFactory await() {
        return atMost(TIMEOUT);
    }

    public static ConditionFactory atMost(Duration timeout) {
        return Awaitility.await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(POLL_INTERVAL);
    }
}
