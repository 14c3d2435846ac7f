package io.estafeta.client;

import java.util.Objects;

/** Where a server listens: a host name or IP address, and a TCP port. */
public record ServerAddress(String host, int port) {

    private static final int MAX_PORT = 65535;

    public ServerAddress {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        if (port < 1 || port > MAX_PORT) {
            throw new IllegalArgumentException("port must be 1-65535, got " + port);
        }
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
