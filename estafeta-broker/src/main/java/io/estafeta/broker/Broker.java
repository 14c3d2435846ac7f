package io.estafeta.broker;

import io.estafeta.broker.config.BrokerConfig;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The public face of the broker: what the command line and an embedding program see.
 *
 * <pre>{@code
 * try (Broker broker = Broker.start(BrokerConfig.defaults())) {
 *     int port = broker.boundAddresses().get(0).getPort();
 *     ...
 * }
 * }</pre>
 */
public final class Broker implements AutoCloseable {

    private Broker() {
    }

    /**
     * Starts a broker and returns once every listener is bound.
     *
     * @throws BrokerStartException if a listener cannot be bound; nothing is left running then
     */
    public static Broker start(BrokerConfig config) {
        throw new UnsupportedOperationException("being written");
    }

    /** The addresses the listeners are bound to, in configuration order (port 0 resolved). */
    public List<InetSocketAddress> boundAddresses() {
        throw new UnsupportedOperationException("being written");
    }

    /** The configuration this broker runs with. */
    public BrokerConfig config() {
        throw new UnsupportedOperationException("being written");
    }

    /**
     * Shuts down cleanly: stops accepting, publishes the wills of connected clients as the
     * specification requires for a server-side close, closes every connection, frees the threads.
     * Idempotent.
     */
    @Override
    public void close() {
        throw new UnsupportedOperationException("being written");
    }
}
