package io.estafeta.broker.transport;

import io.netty.channel.EventLoop;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The replies of one connection that acknowledge something stored (PUBACK, PUBREC, PUBCOMP, SUBACK,
 * UNSUBACK): each goes out only once the store writes it stands for are durable, and all go out in the
 * order their requests arrived, so that a reply that needs no write never overtakes one still waiting.
 * Confined to the connection's event loop; futures may complete on any thread.
 */
final class DurableReplies {

    /** What to do with a reply once its writes are done. */
    interface Outcome {
        /** The writes are durable: send the reply. */
        void durable();

        /** A write failed: the reply must not claim success. */
        void failed(Throwable cause);
    }

    private record Pending(CompletableFuture<Void> writes, Outcome outcome) {
    }

    private final EventLoop loop;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final Runnable drainTask = this::drain;

    DurableReplies(EventLoop loop) {
        this.loop = loop;
    }

    /**
     * Sends a reply when {@code writes} completes (null: nothing to wait for), after every reply
     * requested before it.
     */
    void whenDurable(CompletableFuture<Void> writes, Outcome outcome) {
        if (pending.isEmpty() && (writes == null || isDoneWell(writes))) {
            outcome.durable();
            return;
        }
        CompletableFuture<Void> awaited = writes == null ? CompletableFuture.completedFuture(null) : writes;
        pending.add(new Pending(awaited, outcome));
        if (!awaited.isDone()) {
            awaited.whenComplete((done, failure) -> loop.execute(drainTask));
        } else if (pending.size() == 1) {
            drain();
        }
    }

    /** Sends {@code reply} through {@code sender} when durable; on failure hands the cause to {@code onFailure}. */
    static <T> Outcome reply(T reply, Consumer<T> sender, Consumer<Throwable> onFailure) {
        return new Outcome() {
            @Override
            public void durable() {
                sender.accept(reply);
            }

            @Override
            public void failed(Throwable cause) {
                onFailure.accept(cause);
            }
        };
    }

    /** Whether replies are waiting for the store. */
    boolean isWaiting() {
        return !pending.isEmpty();
    }

    private void drain() {
        Pending head;
        while ((head = pending.peek()) != null && head.writes().isDone()) {
            pending.poll();
            Throwable failure = failureOf(head.writes());
            if (failure == null) {
                head.outcome().durable();
            } else {
                head.outcome().failed(failure);
            }
        }
    }

    private static Throwable failureOf(CompletableFuture<Void> writes) {
        if (!writes.isCompletedExceptionally()) {
            return null;
        }
        try {
            writes.join();
            return null;
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            return e.getCause() != null ? e.getCause() : e;
        }
    }

    private static boolean isDoneWell(CompletableFuture<Void> writes) {
        return writes.isDone() && !writes.isCompletedExceptionally();
    }
}
