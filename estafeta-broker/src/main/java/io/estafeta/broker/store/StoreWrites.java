package io.estafeta.broker.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The store writes one acknowledgement waits for. Writes that are already done (every write when
 * persistence is off) are not kept, so that a message nobody stores costs no allocation.
 */
public final class StoreWrites {

    private CompletableFuture<Void> first;
    private List<CompletableFuture<Void>> more;

    /** @param write a write's future, or null for none */
    public void add(CompletableFuture<Void> write) {
        if (write == null || isDoneWell(write)) {
            return;
        }
        if (first == null) {
            first = write;
            return;
        }
        if (more == null) {
            more = new ArrayList<>();
        }
        more.add(write);
    }

    /** Completes when every write added is durable; null when there is nothing to wait for. */
    public CompletableFuture<Void> whenDurable() {
        if (more == null) {
            return first;
        }
        List<CompletableFuture<Void>> all = new ArrayList<>(more.size() + 1);
        all.add(first);
        all.addAll(more);
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    /** Both writes, either of which may be null. */
    public static CompletableFuture<Void> both(CompletableFuture<Void> one, CompletableFuture<Void> other) {
        if (one == null || isDoneWell(one)) {
            return other;
        }
        if (other == null || isDoneWell(other)) {
            return one;
        }
        return CompletableFuture.allOf(one, other);
    }

    private static boolean isDoneWell(CompletableFuture<Void> write) {
        return write.isDone() && !write.isCompletedExceptionally();
    }
}
