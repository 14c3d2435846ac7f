package io.estafeta.broker.config;

import java.nio.file.Path;

/**
 * The broker's HTTP listener: Prometheus metrics, the admin API and the dashboard (docs/OPERATIONS.md).
 * Estafeta's own settings; Mosquitto has no such listener.
 *
 * @param port                port to bind; 0 asks the operating system for a free one (tests)
 * @param bindAddress         address to bind; {@link BrokerConfig#LOOPBACK} unless the operator chose another
 * @param tls                 certificate and key for HTTPS, or {@code null} for plain HTTP
 * @param adminPasswordFile   a Mosquitto password file whose users may use the admin API and the dashboard,
 *                            or {@code null}
 * @param adminWithoutPassword whether the admin API runs with no password file (anyone who reaches the
 *                            listener may administer the broker); off unless the operator asks for it
 */
public record HttpListenerConfig(int port, String bindAddress, TlsConfig tls, Path adminPasswordFile,
                                 boolean adminWithoutPassword) {

    public HttpListenerConfig {
        if (port < 0 || port > ConfigValues.MAX_PORT) {
            throw new IllegalArgumentException("port must be 0.." + ConfigValues.MAX_PORT + ": " + port);
        }
        if (bindAddress == null) {
            bindAddress = BrokerConfig.LOOPBACK;
        }
    }

    /** Plain HTTP on the loopback interface, metrics only until a password file is given. */
    public static HttpListenerConfig on(int port) {
        return new HttpListenerConfig(port, BrokerConfig.LOOPBACK, null, null, false);
    }

    public HttpListenerConfig withAdminPasswordFile(Path value) {
        return new HttpListenerConfig(port, bindAddress, tls, value, adminWithoutPassword);
    }

    public HttpListenerConfig withAdminWithoutPassword(boolean value) {
        return new HttpListenerConfig(port, bindAddress, tls, adminPasswordFile, value);
    }

    public HttpListenerConfig withTls(TlsConfig value) {
        return new HttpListenerConfig(port, bindAddress, value, adminPasswordFile, adminWithoutPassword);
    }

    /** Whether the admin API and the dashboard are served: with a password file, or when explicitly allowed. */
    public boolean adminEnabled() {
        return adminPasswordFile != null || adminWithoutPassword;
    }

    public String describe() {
        return (tls == null ? "http://" : "https://") + bindAddress + ":" + port;
    }
}
