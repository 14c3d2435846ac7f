package io.estafeta.broker.config;

/**
 * A configuration the broker will not start with. The message is meant for the operator as is: it names
 * the file, the line and what was expected there, e.g.
 * {@code /etc/estafeta.conf:12: max_inflight_messages expects a whole number from 0 to 65535, got 'lots'}.
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
