package io.estafeta.broker.auth.spi;

import io.estafeta.broker.auth.Authorizer;
import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.config.ConfigException;

import java.util.Optional;

/**
 * Supplies an {@link Authorizer}: how a new authorization back-end plugs into the broker without changes
 * to its core. Found with {@link java.util.ServiceLoader} like {@link AuthenticatorProvider} (the file is
 * {@code META-INF/services/io.estafeta.broker.auth.spi.AuthorizerProvider}); exactly one may apply. The
 * broker wraps what it returns in {@link io.estafeta.broker.auth.ServerTopicRules}.
 */
public interface AuthorizerProvider {

    /** A short name for logs and messages, such as {@code acl-file}. */
    String name();

    /**
     * The authorizer for this configuration, or empty if this provider does not apply to it. Called once,
     * at start-up.
     *
     * @throws ConfigException if the provider applies but cannot work with what is configured
     */
    Optional<Authorizer> create(BrokerConfig config) throws ConfigException;
}
