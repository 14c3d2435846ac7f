package io.estafeta.broker.auth;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Decides whether a client may connect. The broker core only asks this interface; back-ends (the password
 * file, later certificates or others through {@link io.estafeta.broker.auth.spi.AuthenticatorProvider}) sit
 * behind it. Implementations are called from several threads at once.
 */
public interface Authenticator {

    /**
     * @param clientId the client identifier (possibly assigned by the broker)
     * @param username the username, or {@code null} when the client sent none
     * @param password the password bytes, or {@code null} when the client sent none
     */
    AuthenticationResult authenticate(String clientId, String username, byte[] password);

    /**
     * The answer to a CONNECT from a known address, with how long to hold it back: an authenticator may
     * slow answers to an address that keeps failing (see {@link FailedLoginDelays}). The caller schedules
     * the CONNACK after {@link Decision#delayBeforeAnswer()} and must not sleep. Checking a password costs
     * CPU time (milliseconds to a few hundred for a strong hash), so an event loop should hand this call to
     * another thread and take the decision back. By default: {@link #authenticate} with no delay.
     *
     * @param remoteAddress the client's network address, or {@code null} if unknown
     */
    default Decision decide(InetAddress remoteAddress, String clientId, String username, byte[] password) {
        return Decision.immediately(authenticate(clientId, username, password));
    }

    /** What the broker answers in CONNACK. */
    enum AuthenticationResult {
        ACCEPTED,
        /** Credentials were given and are wrong: CONNACK 0x04 in MQTT 3.1.1, 0x86 in 5.0. */
        BAD_CREDENTIALS,
        /**
         * The client may not connect (e.g. anonymous access is off): CONNACK 0x05 in MQTT 3.1.1, 0x87 in 5.0.
         */
        NOT_AUTHORIZED
    }

    /**
     * An authentication result and how long to wait before sending it.
     *
     * @param result            what CONNACK says
     * @param delayBeforeAnswer how long to hold the CONNACK back; zero for at once
     */
    record Decision(AuthenticationResult result, Duration delayBeforeAnswer) {

        public Decision {
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(delayBeforeAnswer, "delayBeforeAnswer");
            if (delayBeforeAnswer.isNegative()) {
                throw new IllegalArgumentException("delayBeforeAnswer must not be negative: " + delayBeforeAnswer);
            }
        }

        /** A result to send at once. */
        public static Decision immediately(AuthenticationResult result) {
            return new Decision(result, Duration.ZERO);
        }
    }
}
