package io.estafeta.broker.auth.spi;

import io.estafeta.broker.auth.AclAuthorizer;
import io.estafeta.broker.auth.AllowAllAuthorizer;
import io.estafeta.broker.auth.AnonymousAuthenticator;
import io.estafeta.broker.auth.Authenticator;
import io.estafeta.broker.auth.Authenticator.AuthenticationResult;
import io.estafeta.broker.auth.Authorizer;
import io.estafeta.broker.auth.PasswordAuthenticator;
import io.estafeta.broker.auth.PasswordFile;
import io.estafeta.broker.auth.PasswordHash;
import io.estafeta.broker.auth.ServerTopicRules;
import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecurityProvidersTest {

    @TempDir
    Path dir;

    private Path passwordFile() throws IOException {
        Path file = dir.resolve("passwd");
        PasswordFile.empty().withUser("alice", PasswordHash.create("pw".getBytes(StandardCharsets.UTF_8), 5))
                .write(file);
        return file;
    }

    @Test
    void withoutFilesOrProvidersTheBrokerAuthenticatesAnonymouslyAndRestrictsNothing() throws ConfigException {
        BrokerConfig config = BrokerConfig.builder().dataDirectory(dir).build();

        Authenticator authenticator = SecurityProviders.authenticator(config);
        Authorizer authorizer = SecurityProviders.authorizer(config);

        assertThat(authenticator).isInstanceOf(AnonymousAuthenticator.class);
        assertThat(authorizer).isInstanceOf(ServerTopicRules.class);
        assertThat(((ServerTopicRules) authorizer).delegate()).isInstanceOf(AllowAllAuthorizer.class);
    }

    @Test
    void aPasswordFileSelectsThePasswordAuthenticator() throws IOException, ConfigException {
        BrokerConfig config = BrokerConfig.builder().dataDirectory(dir).passwordFile(passwordFile()).build();

        Authenticator authenticator = SecurityProviders.authenticator(config);

        assertThat(authenticator).isInstanceOf(PasswordAuthenticator.class);
        assertThat(authenticator.authenticate("c", "alice", "pw".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(AuthenticationResult.ACCEPTED);
        // The Mosquitto 2 rule: with a password file, anonymous access is off unless allowed.
        assertThat(authenticator.authenticate("c", null, null)).isEqualTo(AuthenticationResult.NOT_AUTHORIZED);
    }

    @Test
    void anAclFileSelectsTheAclAuthorizerBehindTheServerTopicRules() throws IOException, ConfigException {
        Path acl = dir.resolve("acl");
        Files.writeString(acl, "topic readwrite #\n");
        BrokerConfig config = BrokerConfig.builder().dataDirectory(dir).aclFile(acl).build();

        Authorizer authorizer = SecurityProviders.authorizer(config);

        assertThat(((ServerTopicRules) authorizer).delegate()).isInstanceOf(AclAuthorizer.class);
        assertThat(authorizer.canPublish("c", null, "a/b")).isTrue();
        assertThat(authorizer.canPublish("c", null, "$SYS/x")).isFalse();
    }

    @Test
    void aMissingPasswordFileStopsTheBrokerWithItsPath() {
        Path missing = dir.resolve("missing");
        BrokerConfig config = BrokerConfig.builder().dataDirectory(dir).passwordFile(missing).build();

        assertThatThrownBy(() -> SecurityProviders.authenticator(config))
                .isInstanceOf(ConfigException.class)
                .hasMessage("cannot read password file " + missing + ": no such file");
    }

    @Test
    void aProviderOnTheClassPathIsFoundAndUsedWhenItApplies() throws ConfigException {
        BrokerConfig config = MarkerAuthenticatorProvider.markedConfig(dir).build();

        Authenticator authenticator = SecurityProviders.authenticator(config);
        Authorizer authorizer = SecurityProviders.authorizer(config);

        assertThat(authenticator.authenticate("c", MarkerAuthenticatorProvider.USERNAME, null))
                .isEqualTo(AuthenticationResult.ACCEPTED);
        assertThat(authenticator.authenticate("c", "alice", null)).isEqualTo(AuthenticationResult.NOT_AUTHORIZED);
        assertThat(authorizer.canPublish("c", null, MarkerAuthorizerProvider.TOPIC)).isTrue();
        assertThat(authorizer.canPublish("c", null, "other")).isFalse();
    }

    @Test
    void twoApplyingBackEndsStopTheBrokerNamingBoth() throws IOException {
        BrokerConfig config = MarkerAuthenticatorProvider.markedConfig(dir).passwordFile(passwordFile()).build();

        assertThatThrownBy(() -> SecurityProviders.authenticator(config))
                .isInstanceOf(ConfigException.class)
                .hasMessage("more than one authentication back-end applies to this configuration"
                        + " (password-file, marker); configure or install only one");
    }

    @Test
    void aProviderThatFailsStopsTheBrokerWithItsMessage() {
        AuthenticatorProvider failing = new AuthenticatorProvider() {
            @Override
            public String name() {
                return "failing";
            }

            @Override
            public java.util.Optional<Authenticator> create(BrokerConfig config) throws ConfigException {
                throw new ConfigException("ldap.conf:3: no server given");
            }
        };

        assertThatThrownBy(() -> SecurityProviders.authenticator(BrokerConfig.defaults(), List.of(failing)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("ldap.conf:3: no server given");
    }
}
