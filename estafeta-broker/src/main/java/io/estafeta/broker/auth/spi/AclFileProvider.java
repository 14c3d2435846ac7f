package io.estafeta.broker.auth.spi;

import io.estafeta.broker.auth.AclAuthorizer;
import io.estafeta.broker.auth.AclFile;
import io.estafeta.broker.auth.Authorizer;
import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.config.ConfigException;

import java.util.Optional;

/** The built-in back-end for {@code acl_file}: applies when one is configured. */
public final class AclFileProvider implements AuthorizerProvider {

    public static final String NAME = "acl-file";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Authorizer> create(BrokerConfig config) throws ConfigException {
        if (config.aclFile() == null) {
            return Optional.empty();
        }
        return Optional.of(new AclAuthorizer(AclFile.load(config.aclFile())));
    }
}
