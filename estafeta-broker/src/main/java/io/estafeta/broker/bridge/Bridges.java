package io.estafeta.broker.bridge;

import io.estafeta.broker.config.BridgeConfig;
import io.estafeta.broker.routing.Router;
import io.estafeta.broker.session.SessionRegistry;

import javax.net.ssl.SSLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Every bridge of a broker: started once the listeners are bound, stopped before they close. Each
 * bridge has its own event loop (one thread), shared by its client and its local session.
 */
public final class Bridges implements AutoCloseable {

    private final List<Bridge> bridges;

    private Bridges(List<Bridge> bridges) {
        this.bridges = bridges;
    }

    /**
     * Starts the configured bridges; each connects in the background and keeps trying.
     *
     * @param maxInflight at most this many QoS 1/2 messages of one bridge unacknowledged by its remote
     * @throws SSLException if a bridge's TLS files cannot be used; nothing is left running then
     */
    public static Bridges start(List<BridgeConfig> configs, SessionRegistry sessions, Router router, int maxInflight)
            throws SSLException {
        List<Bridge> created = new ArrayList<>();
        try {
            for (BridgeConfig config : configs) {
                created.add(new Bridge(config, sessions, router, maxInflight));
            }
        } catch (SSLException | RuntimeException e) {
            created.forEach(Bridge::release);
            throw e;
        }
        created.forEach(Bridge::start);
        return new Bridges(List.copyOf(created));
    }

    /** A snapshot of every bridge, in configuration order. */
    public List<BridgeStatus> statuses() {
        return bridges.stream().map(Bridge::status).toList();
    }

    /**
     * Stops every bridge (a few seconds at most each): "0" on the state topics, DISCONNECT to the remotes.
     * Their sessions stay, offline; call {@link #close()} once nothing can be routed to them any more.
     */
    public void stop() {
        bridges.forEach(Bridge::stop);
    }

    /** Frees the bridges' threads; after {@link #stop()} and after the broker's connections are closed. */
    @Override
    public void close() {
        bridges.forEach(Bridge::release);
    }
}
