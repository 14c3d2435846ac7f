package io.estafeta.broker.auth.spi;

import io.estafeta.broker.auth.Authenticator;
import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.config.ConfigException;

import java.util.Optional;

/**
 * Supplies an {@link Authenticator}: how a new authentication back-end plugs into the broker without
 * changes to its core. Implementations are found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/io.estafeta.broker.auth.spi.AuthenticatorProvider} of its jar, and put the jar on
 * the broker's class path) and need a public no-argument constructor. {@link SecurityProviders} asks every
 * provider once, when the broker starts; exactly one may apply. See docs/SECURITY.md.
 */
public interface AuthenticatorProvider {

    /** A short name for logs and messages, such as {@code password-file}. */
    String name();

    /**
     * The authenticator for this configuration, or empty if this provider does not apply to it. Called once,
     * at start-up: read files here, not on each CONNECT.
     *
     * @throws ConfigException if the provider applies but cannot work with what is configured (a missing or
     *                         malformed file, ...); the broker then does not start
     */
    Optional<Authenticator> create(BrokerConfig config) throws ConfigException;
}
