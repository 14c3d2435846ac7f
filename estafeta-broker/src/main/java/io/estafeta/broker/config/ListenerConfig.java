package io.estafeta.broker.config;

/**
 * One network listener.
 *
 * @param port           TCP port; 0 asks the operating system for a free one (tests)
 * @param bindAddress    address to bind, or {@code null} for every interface
 * @param tls            the listener's TLS settings, or {@code null} for plain TCP
 * @param maxConnections most connections open at once on this listener; {@link #UNLIMITED} for no limit
 *                       (Mosquitto's {@code max_connections -1})
 */
public record ListenerConfig(int port, String bindAddress, TlsConfig tls, int maxConnections) {

    /** Mosquitto's value for "no connection limit". */
    public static final int UNLIMITED = -1;

    public ListenerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        if (maxConnections < UNLIMITED) {
            throw new IllegalArgumentException("maxConnections must be -1 (unlimited) or more: " + maxConnections);
        }
    }

    /** A plain TCP listener without a connection limit. */
    public ListenerConfig(int port, String bindAddress) {
        this(port, bindAddress, null, UNLIMITED);
    }

    public ListenerConfig withTls(TlsConfig value) {
        return new ListenerConfig(port, bindAddress, value, maxConnections);
    }

    public ListenerConfig withMaxConnections(int value) {
        return new ListenerConfig(port, bindAddress, tls, value);
    }

    public boolean limitsConnections() {
        return maxConnections != UNLIMITED;
    }

    public String describe() {
        return (bindAddress == null ? "0.0.0.0" : bindAddress) + ":" + port + (tls == null ? "" : " (TLS)");
    }
}
