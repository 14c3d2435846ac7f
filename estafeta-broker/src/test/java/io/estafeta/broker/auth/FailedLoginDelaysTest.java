package io.estafeta.broker.auth;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class FailedLoginDelaysTest {

    private static final Duration FIRST = Duration.ofMillis(100);
    private static final Duration LONGEST = Duration.ofMillis(800);
    private static final Duration FORGET_AFTER = Duration.ofSeconds(60);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private FailedLoginDelays delays(int maxTrackedAddresses) {
        return new FailedLoginDelays(new FailedLoginDelays.Settings(FIRST, LONGEST, FORGET_AFTER, maxTrackedAddresses),
                now::get);
    }

    private void advance(Duration duration) {
        now.addAndGet(duration.toNanos());
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void anAddressWithoutFailuresIsAnsweredAtOnce() {
        assertThat(delays(10).delayFor(address("192.0.2.1"))).isZero();
    }

    @Test
    void eachFailureDoublesTheDelayUpToTheLongest() {
        FailedLoginDelays delays = delays(10);
        InetAddress client = address("192.0.2.1");

        assertThat(delays.recordFailure(client)).isEqualTo(Duration.ofMillis(100));
        assertThat(delays.recordFailure(client)).isEqualTo(Duration.ofMillis(200));
        assertThat(delays.recordFailure(client)).isEqualTo(Duration.ofMillis(400));
        assertThat(delays.recordFailure(client)).isEqualTo(Duration.ofMillis(800));
        assertThat(delays.recordFailure(client)).isEqualTo(LONGEST);
        for (int i = 0; i < 100; i++) {
            delays.recordFailure(client);
        }
        assertThat(delays.recordFailure(client)).isEqualTo(LONGEST);
    }

    @Test
    void afterFailuresEveryAnswerToThatAddressIsDelayedSoSilenceRevealsNothing() {
        FailedLoginDelays delays = delays(10);
        InetAddress client = address("192.0.2.1");
        delays.recordFailure(client);
        delays.recordFailure(client);

        assertThat(delays.delayFor(client)).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void otherAddressesAreNotSlowed() {
        FailedLoginDelays delays = delays(10);
        delays.recordFailure(address("192.0.2.1"));

        assertThat(delays.delayFor(address("192.0.2.2"))).isZero();
    }

    @Test
    void eachFailureIsForgottenAfterAWhile() {
        FailedLoginDelays delays = delays(10);
        InetAddress client = address("192.0.2.1");
        delays.recordFailure(client);
        delays.recordFailure(client);
        delays.recordFailure(client);

        advance(FORGET_AFTER);
        assertThat(delays.delayFor(client)).isEqualTo(Duration.ofMillis(200));
        advance(FORGET_AFTER);
        assertThat(delays.delayFor(client)).isEqualTo(Duration.ofMillis(100));
        advance(FORGET_AFTER);
        assertThat(delays.delayFor(client)).isZero();
        assertThat(delays.trackedAddresses()).isZero();
    }

    @Test
    void aLongAttackIsForgottenInBoundedTime() {
        FailedLoginDelays delays = delays(10);
        InetAddress client = address("192.0.2.1");
        for (int i = 0; i < 10_000; i++) {
            delays.recordFailure(client);
        }

        advance(FORGET_AFTER.multipliedBy(FailedLoginDelays.MAX_REMEMBERED_FAILURES));

        assertThat(delays.delayFor(client)).isZero();
    }

    @Test
    void theNumberOfTrackedAddressesIsCappedForgettingTheOldestFailureFirst() {
        FailedLoginDelays delays = delays(3);
        for (int i = 1; i <= 5; i++) {
            delays.recordFailure(address("192.0.2." + i));
        }

        assertThat(delays.trackedAddresses()).isEqualTo(3);
        assertThat(delays.delayFor(address("192.0.2.1"))).isZero();
        assertThat(delays.delayFor(address("192.0.2.2"))).isZero();
        assertThat(delays.delayFor(address("192.0.2.5"))).isEqualTo(FIRST);
    }

    @Test
    void aRepeatedFailureMovesAnAddressAwayFromEviction() {
        FailedLoginDelays delays = delays(2);
        delays.recordFailure(address("192.0.2.1"));
        delays.recordFailure(address("192.0.2.2"));
        delays.recordFailure(address("192.0.2.1"));

        delays.recordFailure(address("192.0.2.3"));

        assertThat(delays.delayFor(address("192.0.2.1"))).isEqualTo(Duration.ofMillis(200));
        assertThat(delays.delayFor(address("192.0.2.2"))).isZero();
    }

    @Test
    void ipv6AddressesOfOneSlash64NetworkCountTogether() {
        FailedLoginDelays delays = delays(10);
        delays.recordFailure(address("2001:db8:0:1::1"));
        delays.recordFailure(address("2001:db8:0:1:ffff::2"));

        assertThat(delays.delayFor(address("2001:db8:0:1::99"))).isEqualTo(Duration.ofMillis(200));
        assertThat(delays.delayFor(address("2001:db8:0:2::1"))).isZero();
    }

    @Test
    void unknownAddressesShareOneRecord() {
        FailedLoginDelays delays = delays(10);
        delays.recordFailure(null);

        assertThat(delays.delayFor(null)).isEqualTo(FIRST);
        assertThat(delays.delayFor(address("192.0.2.1"))).isZero();
    }
}
