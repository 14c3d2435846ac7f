package io.estafeta.broker.auth.spi;

import io.estafeta.broker.auth.Authenticator;
import io.estafeta.broker.auth.PasswordAuthenticator;
import io.estafeta.broker.auth.PasswordFile;
import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.config.ConfigException;

import java.util.Optional;

/** The built-in back-end for {@code password_file}: applies when one is configured. */
public final class PasswordFileProvider implements AuthenticatorProvider {

    public static final String NAME = "password-file";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Authenticator> create(BrokerConfig config) throws ConfigException {
        if (config.passwordFile() == null) {
            return Optional.empty();
        }
        return Optional.of(new PasswordAuthenticator(PasswordFile.load(config.passwordFile()),
                config.allowAnonymous()));
    }
}
