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
}
