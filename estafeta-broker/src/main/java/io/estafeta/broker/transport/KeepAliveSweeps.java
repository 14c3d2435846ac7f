package io.estafeta.broker.transport;

import io.netty.util.concurrent.EventExecutor;

import java.util.concurrent.ConcurrentHashMap;

/** One {@link KeepAliveSweep} per event loop of a server, made when a loop's first client needs one. */
final class KeepAliveSweeps {

    private final ConcurrentHashMap<EventExecutor, KeepAliveSweep> byLoop = new ConcurrentHashMap<>();

    /** The sweep of this loop; call on the loop, and use the sweep there only. */
    KeepAliveSweep of(EventExecutor loop) {
        return byLoop.computeIfAbsent(loop, KeepAliveSweep::new);
    }
}
