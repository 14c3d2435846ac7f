package io.estafeta.broker.store;

import io.estafeta.broker.routing.Subscription;

import java.util.concurrent.CompletableFuture;

/**
 * Sessions that outlive their connections, and their subscriptions. Only persistent sessions (Session
 * Expiry Interval above 0) are stored. Every method may be called from any thread, never blocks, and
 * returns a future that completes when the write is durable ({@link Persistence}).
 */
public interface SessionStore {

    /** Creates or replaces the session record (expiry interval, offline since, username). */
    CompletableFuture<Void> putSession(StoredSession session);

    /**
     * Removes everything stored for the session: its record, subscriptions, queued and in-flight messages
     * and inbound QoS 2 packet identifiers (not its pending will: see {@link WillStore}). Writes for this
     * client id made before this call are removed too; writes made after it start a new session.
     */
    CompletableFuture<Void> removeSession(String clientId);

    /** Adds or replaces ([MQTT-3.8.4-3]) the subscription with its client filter. */
    CompletableFuture<Void> putSubscription(Subscription subscription);

    /** @param clientFilter the filter as the client wrote it ({@link Subscription#clientFilter()}) */
    CompletableFuture<Void> removeSubscription(String clientId, String clientFilter);
}
