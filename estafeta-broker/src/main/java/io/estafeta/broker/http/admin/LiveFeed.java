package io.estafeta.broker.http.admin;

import io.estafeta.broker.http.ServerSentEvents;
import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.routing.InternalSink;
import io.estafeta.broker.routing.SharedGroup;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.CompletableFuture;

/**
 * The messages matching one topic filter, streamed to an administrator's browser as Server-Sent Events.
 *
 * <p>It is an internal subscriber (see {@link io.estafeta.broker.routing.InternalSubscribers}): the router
 * offers it messages on the publishers' event loops. It never slows a publisher: it is never congested, at
 * most {@link #MAX_PENDING} events wait to be written, and while that many wait or the browser's socket is
 * full, further messages are dropped and counted (the next event that goes out says how many).
 */
final class LiveFeed extends InternalSink {

    static final int MAX_PENDING = 256;

    private final ServerSentEvents events;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();

    LiveFeed(ServerSentEvents events) {
        this.events = events;
    }

    @Override
    public CompletableFuture<Void> offer(ApplicationMessage message, int qos, int[] subscriptionIds,
                                         SharedGroup sharedGroup) {
        if (!events.isWritable() || pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            dropped.incrementAndGet();
            return null; // never stored: nothing to wait for
        }
        long receivedAt = System.currentTimeMillis();
        try {
            events.channel().eventLoop().execute(() -> {
                pending.decrementAndGet();
                events.send("message", MessageJson.live(message, receivedAt, dropped.getAndSet(0)));
            });
        } catch (RejectedExecutionException listenerStopped) {
            // The HTTP listener is shutting down; this runs on a publisher's loop, which must not see it.
            pending.decrementAndGet();
        }
        return null;
    }
}
