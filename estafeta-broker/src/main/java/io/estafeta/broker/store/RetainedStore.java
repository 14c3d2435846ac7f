package io.estafeta.broker.store;

import io.estafeta.broker.message.ApplicationMessage;

import java.util.concurrent.CompletableFuture;

/**
 * The retained messages, one per topic. Every method may be called from any thread, never blocks, and
 * returns a future that completes when the write is durable ({@link Persistence}).
 */
public interface RetainedStore {

    /**
     * Retains the message for its topic, replacing any earlier one; a message with an empty payload
     * removes the topic's retained message instead ([MQTT-3.3.1-10]), as {@code RetainedMessages} does.
     */
    CompletableFuture<Void> put(ApplicationMessage message);

    CompletableFuture<Void> remove(String topic);
}
