package io.estafeta.broker.config;

/**
 * One network listener.
 *
 * @param port        TCP port; 0 asks the operating system for a free one (tests)
 * @param bindAddress address to bind, or {@code null} for every interface
 */
public record ListenerConfig(int port, String bindAddress) {

    public ListenerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
    }

    public String describe() {
        return (bindAddress == null ? "0.0.0.0" : bindAddress) + ":" + port;
    }
}
