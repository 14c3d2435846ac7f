package io.estafeta.broker.config;

import java.util.Locale;

/** What a listener speaks, as Mosquitto's {@code protocol} directive names it. */
public enum ListenerProtocol {
    /** MQTT straight on TCP (or TLS). */
    MQTT,
    /** MQTT in binary WebSocket frames (MQTT 3.1.1 and 5.0, chapter 6), over TCP or TLS (wss). */
    WEBSOCKETS;

    /** The name as written in the configuration file. */
    public String directiveValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
