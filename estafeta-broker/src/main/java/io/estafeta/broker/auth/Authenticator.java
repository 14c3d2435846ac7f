package io.estafeta.broker.auth;

/**
 * Decides whether a client may connect. The security issue adds password files and certificates
 * behind this interface; the broker core only asks it.
 */
public interface Authenticator {

    /**
     * @param clientId the client identifier (possibly assigned by the broker)
     * @param username the username, or {@code null} when the client sent none
     * @param password the password bytes, or {@code null} when the client sent none
     */
    AuthenticationResult authenticate(String clientId, String username, byte[] password);

    /** What the broker answers in CONNACK. */
    enum AuthenticationResult {
        ACCEPTED,
        /** Credentials were given and are wrong: CONNACK 0x04 in MQTT 3.1.1. */
        BAD_CREDENTIALS,
        /** The client may not connect (e.g. anonymous access is off): CONNACK 0x05 in MQTT 3.1.1. */
        NOT_AUTHORIZED
    }
}
