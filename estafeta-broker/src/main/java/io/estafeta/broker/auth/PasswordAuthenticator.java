package io.estafeta.broker.auth;

import io.estafeta.broker.auth.scram.ScramCredential;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Checks usernames and passwords against a {@link PasswordFile}, as Mosquitto's {@code password_file} does:
 *
 * <ul>
 *   <li>no username: an anonymous client, accepted only if anonymous access is allowed, else
 *       {@link AuthenticationResult#NOT_AUTHORIZED} (a password without a username is ignored);</li>
 *   <li>a listed username with its password: {@link AuthenticationResult#ACCEPTED};</li>
 *   <li>anything else (unknown username, wrong or missing password):
 *       {@link AuthenticationResult#BAD_CREDENTIALS}. Mosquitto 2.0 answers "not authorized" here; the
 *       protocol's own code for it is "bad user name or password".</li>
 * </ul>
 *
 * An unknown username is checked against a hash no password matches, with the parameters most of the
 * file's hashes have, so that it takes as long as a wrong password: the answer's timing does not tell which
 * usernames exist. Failed logins slow later answers to the same address ({@link FailedLoginDelays}) through
 * {@link #decide}. Passwords are never logged.
 *
 * <p>Thread-safe. Checking a strong hash takes real CPU time; see {@link Authenticator#decide}.
 */
public final class PasswordAuthenticator implements Authenticator, ScramCredentials {

    private static final Logger LOG = LoggerFactory.getLogger(PasswordAuthenticator.class);

    /** The parameters of new hashes: what an empty file's unknown usernames are checked with. */
    private static final PasswordHash.Parameters NEW_HASH_PARAMETERS =
            new PasswordHash.Parameters(PasswordHash.Algorithm.SHA512_PBKDF2, PasswordHash.DEFAULT_ITERATIONS);

    private final PasswordFile passwords;
    private final boolean allowAnonymous;
    private final FailedLoginDelays delays;
    private final PasswordHash unknownUserHash;

    /** With the default slowdown of failed logins ({@link FailedLoginDelays.Settings#DEFAULT}). */
    public PasswordAuthenticator(PasswordFile passwords, boolean allowAnonymous) {
        this(passwords, allowAnonymous, new FailedLoginDelays());
    }

    public PasswordAuthenticator(PasswordFile passwords, boolean allowAnonymous, FailedLoginDelays delays) {
        this.passwords = Objects.requireNonNull(passwords, "passwords");
        this.allowAnonymous = allowAnonymous;
        this.delays = Objects.requireNonNull(delays, "delays");
        this.unknownUserHash = PasswordHash.unmatchable(usualParameters(passwords));
    }

    /** As {@link #decide} from an unknown address, without the delay. */
    @Override
    public AuthenticationResult authenticate(String clientId, String username, byte[] password) {
        return decide(null, clientId, username, password).result();
    }

    @Override
    public Decision decide(InetAddress remoteAddress, String clientId, String username, byte[] password) {
        if (username == null) {
            AuthenticationResult result = allowAnonymous ? AuthenticationResult.ACCEPTED
                    : AuthenticationResult.NOT_AUTHORIZED;
            return new Decision(result, delays.delayFor(remoteAddress));
        }
        if (password != null && check(username, password)) {
            // Not reset by a success: one known password must not buy unlimited guesses at others.
            return new Decision(AuthenticationResult.ACCEPTED, delays.delayFor(remoteAddress));
        }
        Duration delay = delays.recordFailure(remoteAddress);
        LOG.debug("bad credentials from client '{}' with username '{}' at {}; answering in {} ms", clientId,
                username, remoteAddress, delay.toMillis());
        return new Decision(AuthenticationResult.BAD_CREDENTIALS, delay);
    }

    @Override
    public ScramCredential scramCredential(String username) {
        return passwords.hashOf(username).flatMap(PasswordHash::scramCredential).orElse(null);
    }

    private boolean check(String username, byte[] password) {
        PasswordHash hash = passwords.hashOf(username).orElse(null);
        if (hash == null) {
            // The same work as a wrong password, then a refusal whatever the outcome.
            unknownUserHash.verify(password);
            return false;
        }
        return hash.verify(password);
    }

    /** The parameters most hashes in the file share (the costliest on a tie), or those of new hashes. */
    static PasswordHash.Parameters usualParameters(PasswordFile passwords) {
        Map<PasswordHash.Parameters, Long> counts = passwords.hashes().stream()
                .collect(Collectors.groupingBy(PasswordHash::parameters, Collectors.counting()));
        return counts.entrySet().stream()
                .max(Map.Entry.<PasswordHash.Parameters, Long>comparingByValue()
                        .thenComparing(Map.Entry::getKey, Comparator.comparingInt(PasswordHash.Parameters::iterations)))
                .map(Map.Entry::getKey)
                .orElse(NEW_HASH_PARAMETERS);
    }

    @Override
    public String toString() {
        return "PasswordAuthenticator[" + passwords.size() + " users, anonymous "
                + (allowAnonymous ? "allowed" : "refused") + "]";
    }
}
