package io.estafeta.broker.routing;

/**
 * A publishing connection whose socket reads can be paused while a subscriber it feeds is congested,
 * so that a slow subscriber slows its publishers instead of losing acknowledged messages.
 * Thread-safe.
 */
public interface PausablePublisher {

    /** Stop reading the publisher's socket (for a bounded time). Called on the publisher's loop. */
    void pauseReading();

    /** Start reading the publisher's socket again. Idempotent; any thread. */
    void resumeReading();
}
