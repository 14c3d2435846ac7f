package io.estafeta.broker.store;

import io.estafeta.broker.message.ApplicationMessage;

import java.util.concurrent.CompletableFuture;

/**
 * Wills held back for their Will Delay Interval (MQTT 5), one per session. Every method may be called
 * from any thread, never blocks, and returns a future that completes when the write is durable
 * ({@link Persistence}).
 */
public interface WillStore {

    /** The session's will is due at {@code publishAtMillis} (epoch millis) unless the session resumes. */
    CompletableFuture<Void> putWill(String clientId, ApplicationMessage will, long publishAtMillis);

    /** The will was published or cancelled by a resumed session ([MQTT-3.1.3-9]). */
    CompletableFuture<Void> removeWill(String clientId);
}
