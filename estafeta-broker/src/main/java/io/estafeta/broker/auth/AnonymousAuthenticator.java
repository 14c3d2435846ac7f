package io.estafeta.broker.auth;

/**
 * The authenticator while no credential store is configured: anonymous clients are accepted if the
 * configuration allows them; a client that presents a username cannot be verified against anything,
 * so it is treated like an anonymous one (as Mosquitto does with no password file).
 */
public final class AnonymousAuthenticator implements Authenticator {

    private final boolean allowAnonymous;

    public AnonymousAuthenticator(boolean allowAnonymous) {
        this.allowAnonymous = allowAnonymous;
    }

    @Override
    public AuthenticationResult authenticate(String clientId, String username, byte[] password) {
        return allowAnonymous ? AuthenticationResult.ACCEPTED : AuthenticationResult.NOT_AUTHORIZED;
    }
}
