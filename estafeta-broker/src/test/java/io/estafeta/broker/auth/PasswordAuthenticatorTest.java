package io.estafeta.broker.auth;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.estafeta.broker.auth.Authenticator.AuthenticationResult;
import io.estafeta.broker.auth.Authenticator.Decision;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordAuthenticatorTest {

    private static final int FEW_ITERATIONS = 10;
    private static final Duration FIRST_DELAY = Duration.ofMillis(100);
    private static final String CLIENT = "client-1";

    private static final PasswordFile PASSWORDS = PasswordFile.empty()
            .withUser("alice", PasswordHash.create(bytes("wonderland"), FEW_ITERATIONS))
            .withUser("bob", PasswordHash.create(bytes("builder"), FEW_ITERATIONS));

    private final AtomicLong now = new AtomicLong();
    private final FailedLoginDelays delays = new FailedLoginDelays(
            new FailedLoginDelays.Settings(FIRST_DELAY, Duration.ofSeconds(1), Duration.ofMinutes(1), 100), now::get);

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private PasswordAuthenticator authenticator(boolean allowAnonymous) {
        return new PasswordAuthenticator(PASSWORDS, allowAnonymous, delays);
    }

    @Test
    void aListedUserWithTheRightPasswordIsAccepted() {
        Decision decision = authenticator(false).decide(address("192.0.2.1"), CLIENT, "alice", bytes("wonderland"));

        assertThat(decision).isEqualTo(Decision.immediately(AuthenticationResult.ACCEPTED));
    }

    @Test
    void aWrongPasswordIsBadCredentials() {
        assertThat(authenticator(false).decide(address("192.0.2.1"), CLIENT, "alice", bytes("builder")).result())
                .isEqualTo(AuthenticationResult.BAD_CREDENTIALS);
    }

    @Test
    void anUnknownUserIsBadCredentialsLikeAWrongPassword() {
        assertThat(authenticator(false).decide(address("192.0.2.1"), CLIENT, "mallory", bytes("wonderland"))
                .result()).isEqualTo(AuthenticationResult.BAD_CREDENTIALS);
    }

    @Test
    void aUsernameWithoutPasswordIsBadCredentials() {
        assertThat(authenticator(true).decide(address("192.0.2.1"), CLIENT, "alice", null).result())
                .isEqualTo(AuthenticationResult.BAD_CREDENTIALS);
    }

    @Test
    void anonymousClientsAreNotAuthorizedUnlessAllowed() {
        assertThat(authenticator(false).decide(null, CLIENT, null, null).result())
                .isEqualTo(AuthenticationResult.NOT_AUTHORIZED);
        assertThat(authenticator(true).decide(null, CLIENT, null, null).result())
                .isEqualTo(AuthenticationResult.ACCEPTED);
    }

    @Test
    void aPasswordWithoutUsernameIsIgnoredAndTheClientTreatedAsAnonymous() {
        // MQTT 5 allows a password without a username; the password file only knows usernames.
        assertThat(authenticator(false).decide(null, CLIENT, null, bytes("wonderland")).result())
                .isEqualTo(AuthenticationResult.NOT_AUTHORIZED);
    }

    @Test
    void failedLoginsSlowLaterAnswersToThatAddressOnly() {
        PasswordAuthenticator authenticator = authenticator(false);
        InetAddress attacker = address("192.0.2.66");

        Decision first = authenticator.decide(attacker, CLIENT, "alice", bytes("guess1"));
        Decision second = authenticator.decide(attacker, CLIENT, "alice", bytes("guess2"));
        Decision rightButSlowed = authenticator.decide(attacker, CLIENT, "alice", bytes("wonderland"));
        Decision elsewhere = authenticator.decide(address("192.0.2.7"), CLIENT, "alice", bytes("wonderland"));

        assertThat(first.delayBeforeAnswer()).isEqualTo(FIRST_DELAY);
        assertThat(second.delayBeforeAnswer()).isEqualTo(FIRST_DELAY.multipliedBy(2));
        assertThat(rightButSlowed).isEqualTo(
                new Decision(AuthenticationResult.ACCEPTED, FIRST_DELAY.multipliedBy(2)));
        assertThat(elsewhere.delayBeforeAnswer()).isZero();
    }

    @Test
    void theSlowdownFadesOnceFailuresStop() {
        PasswordAuthenticator authenticator = authenticator(false);
        InetAddress client = address("192.0.2.9");
        authenticator.decide(client, CLIENT, "alice", bytes("typo"));

        now.addAndGet(Duration.ofMinutes(1).toNanos());

        assertThat(authenticator.decide(client, CLIENT, "alice", bytes("wonderland")))
                .isEqualTo(Decision.immediately(AuthenticationResult.ACCEPTED));
    }

    @Test
    void theOldEntryPointGivesTheSameResults() {
        PasswordAuthenticator authenticator = authenticator(false);

        assertThat(authenticator.authenticate(CLIENT, "bob", bytes("builder")))
                .isEqualTo(AuthenticationResult.ACCEPTED);
        assertThat(authenticator.authenticate(CLIENT, "bob", bytes("wonderland")))
                .isEqualTo(AuthenticationResult.BAD_CREDENTIALS);
        assertThat(authenticator.authenticate(CLIENT, null, null)).isEqualTo(AuthenticationResult.NOT_AUTHORIZED);
    }

    @Test
    void unknownUsersAreCheckedWithTheParametersMostUsersHave() {
        PasswordFile mixed = PasswordFile.empty()
                .withUser("a", PasswordHash.create(bytes("a"), 7))
                .withUser("b", PasswordHash.create(bytes("b"), 3))
                .withUser("c", PasswordHash.create(bytes("c"), 3));

        assertThat(PasswordAuthenticator.usualParameters(mixed))
                .isEqualTo(new PasswordHash.Parameters(PasswordHash.Algorithm.SHA512_PBKDF2, 3));
        assertThat(PasswordAuthenticator.usualParameters(PasswordFile.empty()))
                .isEqualTo(new PasswordHash.Parameters(PasswordHash.Algorithm.SHA512_PBKDF2,
                        PasswordHash.DEFAULT_ITERATIONS));
    }

    @Test
    void passwordsNeverReachTheLog() {
        Logger logger = (Logger) LoggerFactory.getLogger(PasswordAuthenticator.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        Level level = logger.getLevel();
        logger.setLevel(Level.TRACE);
        try {
            PasswordAuthenticator authenticator = authenticator(false);
            authenticator.decide(address("192.0.2.1"), CLIENT, "alice", bytes("not-the-password-1"));
            authenticator.decide(address("192.0.2.1"), CLIENT, "mallory", bytes("not-the-password-2"));
            authenticator.decide(address("192.0.2.1"), CLIENT, "alice", bytes("wonderland"));
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(level);
        }

        assertThat(appender.list).isNotEmpty();
        assertThat(appender.list).allSatisfy(event -> assertThat(event.getFormattedMessage())
                .doesNotContain("not-the-password").doesNotContain("wonderland"));
    }
}
