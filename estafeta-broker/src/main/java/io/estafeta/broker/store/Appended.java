package io.estafeta.broker.store;

import java.util.concurrent.CompletableFuture;

/**
 * The result of {@link MessageStore#append}: the handle for later updates, available at once, and the
 * write's completion.
 *
 * @param delivery what to pass to the later updates of this message
 * @param durable  completes when the message is durable (see {@link Persistence} for the guarantees)
 */
public record Appended(DeliveryHandle delivery, CompletableFuture<Void> durable) {
}
