package io.estafeta.broker.config;

import java.util.Objects;

/**
 * One network listener.
 *
 * @param port            TCP port; 0 asks the operating system for a free one (tests)
 * @param bindAddress     address to bind, or {@code null} for every interface
 * @param tls             the listener's TLS settings, or {@code null} for plain TCP
 * @param maxConnections  most connections open at once on this listener; {@link #UNLIMITED} for no limit
 *                        (Mosquitto's {@code max_connections -1})
 * @param protocol        MQTT on the socket, or MQTT over WebSocket
 * @param websocketsPath  the HTTP path a WebSocket client asks for (Estafeta's {@code websockets_path});
 *                        only used by a {@link ListenerProtocol#WEBSOCKETS} listener
 */
public record ListenerConfig(int port, String bindAddress, TlsConfig tls, int maxConnections,
                             ListenerProtocol protocol, String websocketsPath) {

    /** Mosquitto's value for "no connection limit". */
    public static final int UNLIMITED = -1;
    /** Where MQTT over WebSocket clients connect by default (what MQTT.js, Paho and HiveMQ ask for). */
    public static final String DEFAULT_WEBSOCKETS_PATH = "/mqtt";

    public ListenerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        if (maxConnections < UNLIMITED) {
            throw new IllegalArgumentException("maxConnections must be -1 (unlimited) or more: " + maxConnections);
        }
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(websocketsPath, "websocketsPath");
        if (!websocketsPath.startsWith("/")) {
            throw new IllegalArgumentException("websocketsPath must start with '/': " + websocketsPath);
        }
    }

    /** An MQTT listener (TCP, or TLS with {@code tls}). */
    public ListenerConfig(int port, String bindAddress, TlsConfig tls, int maxConnections) {
        this(port, bindAddress, tls, maxConnections, ListenerProtocol.MQTT, DEFAULT_WEBSOCKETS_PATH);
    }

    /** A plain TCP listener without a connection limit. */
    public ListenerConfig(int port, String bindAddress) {
        this(port, bindAddress, null, UNLIMITED);
    }

    /** A plain MQTT over WebSocket listener on {@link #DEFAULT_WEBSOCKETS_PATH}, without a connection limit. */
    public static ListenerConfig websockets(int port, String bindAddress) {
        return new ListenerConfig(port, bindAddress, null, UNLIMITED, ListenerProtocol.WEBSOCKETS,
                DEFAULT_WEBSOCKETS_PATH);
    }

    public ListenerConfig withTls(TlsConfig value) {
        return new ListenerConfig(port, bindAddress, value, maxConnections, protocol, websocketsPath);
    }

    public ListenerConfig withMaxConnections(int value) {
        return new ListenerConfig(port, bindAddress, tls, value, protocol, websocketsPath);
    }

    public ListenerConfig withProtocol(ListenerProtocol value) {
        return new ListenerConfig(port, bindAddress, tls, maxConnections, value, websocketsPath);
    }

    public ListenerConfig withWebsocketsPath(String value) {
        return new ListenerConfig(port, bindAddress, tls, maxConnections, protocol, value);
    }

    public boolean limitsConnections() {
        return maxConnections != UNLIMITED;
    }

    public boolean isWebSocket() {
        return protocol == ListenerProtocol.WEBSOCKETS;
    }

    public String describe() {
        String where = (bindAddress == null ? "0.0.0.0" : bindAddress) + ":" + port;
        if (isWebSocket()) {
            return where + " (" + (tls == null ? "ws" : "wss") + " " + websocketsPath + ")";
        }
        return where + (tls == null ? "" : " (TLS)");
    }
}
