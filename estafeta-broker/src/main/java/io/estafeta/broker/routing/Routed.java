package io.estafeta.broker.routing;

import java.util.concurrent.CompletableFuture;

/** What became of a published message: how many clients it was handed to, and when it is durable. */
public interface Routed {

    /** Handed to nobody, and nothing stored. */
    Routed NOTHING = of(0, null);

    /** How many clients it was handed to. */
    int deliveredTo();

    /**
     * Completes when the message is durable for every stored session it was queued for, and as the
     * retained message of its topic if it is one; fails if the store could not take it. Null when
     * nothing was stored, so there is nothing to wait for.
     */
    CompletableFuture<Void> durable();

    static Routed of(int deliveredTo, CompletableFuture<Void> durable) {
        return new Routed() {
            @Override
            public int deliveredTo() {
                return deliveredTo;
            }

            @Override
            public CompletableFuture<Void> durable() {
                return durable;
            }
        };
    }
}
