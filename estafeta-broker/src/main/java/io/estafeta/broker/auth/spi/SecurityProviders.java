package io.estafeta.broker.auth.spi;

import io.estafeta.broker.auth.AllowAllAuthorizer;
import io.estafeta.broker.auth.AnonymousAuthenticator;
import io.estafeta.broker.auth.Authenticator;
import io.estafeta.broker.auth.Authorizer;
import io.estafeta.broker.auth.ServerTopicRules;
import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Picks the authentication and authorization back-ends for a configuration, once, at start-up.
 *
 * <p>The built-in providers ({@link PasswordFileProvider}, {@link AclFileProvider}) are always asked; they
 * are named here rather than discovered, so that a class path that lost a service file cannot quietly
 * drop a configured password file. Providers on the class path are discovered with {@link ServiceLoader}.
 * Every provider is asked; if none applies, the fallback is used (anonymous-only authentication by
 * {@code allow_anonymous}; no topic restrictions); if two apply, the broker does not start, rather than
 * guess which one the operator meant. The authorizer is always wrapped in {@link ServerTopicRules}.
 */
public final class SecurityProviders {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityProviders.class);

    private SecurityProviders() {
    }

    /**
     * The authenticator for this configuration.
     *
     * @throws ConfigException if a provider cannot work with the configuration (such as an unreadable password
     *                         file), if more than one applies, or if a discovered provider cannot be loaded
     */
    public static Authenticator authenticator(BrokerConfig config) throws ConfigException {
        return authenticator(config, discover(AuthenticatorProvider.class));
    }

    /**
     * The authorizer for this configuration, wrapped in {@link ServerTopicRules}.
     *
     * @throws ConfigException as for {@link #authenticator(BrokerConfig)}
     */
    public static Authorizer authorizer(BrokerConfig config) throws ConfigException {
        return authorizer(config, discover(AuthorizerProvider.class));
    }

    /** {@link #authenticator(BrokerConfig)} with the given providers besides the built-in one. */
    static Authenticator authenticator(BrokerConfig config, List<AuthenticatorProvider> discovered)
            throws ConfigException {
        List<AuthenticatorProvider> providers = new ArrayList<>();
        providers.add(new PasswordFileProvider());
        providers.addAll(discovered);
        List<Named<Authenticator>> applying = new ArrayList<>();
        for (AuthenticatorProvider provider : providers) {
            provider.create(config).ifPresent(created -> applying.add(new Named<>(provider.name(), created)));
        }
        return single("authentication", applying)
                .orElseGet(() -> new AnonymousAuthenticator(config.allowAnonymous()));
    }

    /** {@link #authorizer(BrokerConfig)} with the given providers besides the built-in one. */
    static Authorizer authorizer(BrokerConfig config, List<AuthorizerProvider> discovered) throws ConfigException {
        List<AuthorizerProvider> providers = new ArrayList<>();
        providers.add(new AclFileProvider());
        providers.addAll(discovered);
        List<Named<Authorizer>> applying = new ArrayList<>();
        for (AuthorizerProvider provider : providers) {
            provider.create(config).ifPresent(created -> applying.add(new Named<>(provider.name(), created)));
        }
        return new ServerTopicRules(single("authorization", applying).orElseGet(AllowAllAuthorizer::new));
    }

    private record Named<T>(String name, T backEnd) {
    }

    private static <T> Optional<T> single(String concern, List<Named<T>> applying) throws ConfigException {
        if (applying.size() > 1) {
            throw new ConfigException("more than one " + concern + " back-end applies to this configuration ("
                    + applying.stream().map(Named::name).collect(Collectors.joining(", "))
                    + "); configure or install only one");
        }
        if (applying.isEmpty()) {
            return Optional.empty();
        }
        Named<T> chosen = applying.getFirst();
        LOG.info("{}: {}", concern, chosen.name());
        return Optional.of(chosen.backEnd());
    }

    private static <T> List<T> discover(Class<T> service) throws ConfigException {
        List<T> found = new ArrayList<>();
        try {
            for (T provider : ServiceLoader.load(service)) {
                found.add(provider);
            }
        } catch (ServiceConfigurationError e) {
            throw new ConfigException("cannot load a " + service.getSimpleName() + " from the class path: "
                    + e.getMessage(), e);
        }
        return found;
    }
}
