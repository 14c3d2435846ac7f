package io.estafeta.broker.auth;

import io.estafeta.broker.auth.scram.ScramCredential;

/**
 * An authenticator that can also serve MQTT 5 enhanced authentication with SCRAM-SHA-256: it knows the
 * SCRAM credential of (some of) its users. Thread-safe.
 */
public interface ScramCredentials {

    /** The user's SCRAM-SHA-256 credential, or null if the user is unknown or has none. */
    ScramCredential scramCredential(String username);
}
