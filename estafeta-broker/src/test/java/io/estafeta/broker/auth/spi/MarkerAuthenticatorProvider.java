package io.estafeta.broker.auth.spi;

import io.estafeta.broker.auth.Authenticator;
import io.estafeta.broker.auth.Authenticator.AuthenticationResult;
import io.estafeta.broker.config.BrokerConfig;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A third-party back-end as a test sees it, registered in this module's test resources under
 * META-INF/services. It applies only to configurations whose data directory is named {@link #MARKER}, so it
 * stays out of every other test that loads providers.
 */
public final class MarkerAuthenticatorProvider implements AuthenticatorProvider {

    public static final String MARKER = "spi-marker-provider";
    public static final String NAME = "marker";
    /** The only username the marker authenticator accepts, with any password. */
    public static final String USERNAME = "marked";

    /** A configuration the marker providers apply to. */
    public static BrokerConfig.Builder markedConfig(Path parent) {
        return BrokerConfig.builder().dataDirectory(parent.resolve(MARKER));
    }

    static boolean applies(BrokerConfig config) {
        Path name = config.dataDirectory().getFileName();
        return name != null && name.toString().equals(MARKER);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Authenticator> create(BrokerConfig config) {
        if (!applies(config)) {
            return Optional.empty();
        }
        return Optional.of((clientId, username, password) -> USERNAME.equals(username)
                ? AuthenticationResult.ACCEPTED
                : AuthenticationResult.NOT_AUTHORIZED);
    }
}
