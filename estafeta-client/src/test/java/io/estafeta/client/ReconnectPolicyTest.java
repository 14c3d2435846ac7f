package io.estafeta.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReconnectPolicyTest {

    @Test
    void delayDoublesWithEachAttemptUpToTheMaximum() {
        ReconnectPolicy policy = ReconnectPolicy.exponentialBackoff(Duration.ofMillis(100), Duration.ofMillis(700));

        assertThat(policy.delayBefore(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.delayBefore(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.delayBefore(3)).isEqualTo(Duration.ofMillis(400));
        assertThat(policy.delayBefore(4)).isEqualTo(Duration.ofMillis(700));
        assertThat(policy.delayBefore(1_000_000)).isEqualTo(Duration.ofMillis(700));
    }

    @Test
    void reconnectIsOffByDefault() {
        assertThat(MqttClientOptions.builder().build().reconnect().enabled()).isFalse();
    }

    @Test
    void maximumBelowInitialDelayIsRejected() {
        assertThatThrownBy(() -> ReconnectPolicy.exponentialBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void exponentialBackoffDoublesThePreviousDelayUpToTheMaximum() {
        ReconnectPolicy policy = ReconnectPolicy.exponentialBackoff(Duration.ofMillis(100), Duration.ofMillis(300));

        assertThat(policy.nextDelay(null)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.nextDelay(Duration.ofMillis(100))).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.nextDelay(Duration.ofMillis(200))).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void constantDelayNeverChanges() {
        ReconnectPolicy policy = ReconnectPolicy.constant(Duration.ofSeconds(20));

        assertThat(policy.nextDelay(null)).isEqualTo(Duration.ofSeconds(20));
        assertThat(policy.nextDelay(Duration.ofSeconds(20))).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void decorrelatedJitterStaysBetweenBaseAndThreeTimesThePreviousDelayAndUnderTheCap() {
        ReconnectPolicy policy = ReconnectPolicy.decorrelatedJitter(Duration.ofSeconds(5), Duration.ofSeconds(30));

        assertThat(policy.nextDelay(null)).isEqualTo(Duration.ofSeconds(5));
        Duration previous = Duration.ofSeconds(5);
        for (int attempt = 0; attempt < 200; attempt++) {
            Duration next = policy.nextDelay(previous);
            assertThat(next).isBetween(Duration.ofSeconds(5),
                    previous.multipliedBy(3).compareTo(Duration.ofSeconds(30)) < 0 ? previous.multipliedBy(3)
                            : Duration.ofSeconds(30));
            previous = next;
        }
    }
}
