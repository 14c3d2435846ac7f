package io.estafeta.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PacerTest {

    @Test
    void aPublisherAsksToBeWokenTheMarginBeforeItsSendIsDue() {
        Pacer pacer = new Pacer(1_000_000);

        assertThat(pacer.wakeUpAt(10_000_000)).isEqualTo(10_000_000 - WakeUpMargin.INITIAL_NANOS);
    }

    @Test
    void theSpinLimitCapsTheMarginSoThatSpinningStaysAFractionOfTheInterval() {
        Pacer pacer = new Pacer(20_000);

        assertThat(pacer.wakeUpAt(10_000_000)).isEqualTo(10_000_000 - 20_000);
        assertThat(pacer.withinSpin(10_000_000, 10_000_000 - 20_000)).isTrue();
        assertThat(pacer.withinSpin(10_000_000, 10_000_000 - 20_001)).isFalse();
    }

    @Test
    void lateWakeUpsWidenTheMargin() {
        Pacer pacer = new Pacer(1_000_000);
        for (int i = 0; i < 100; i++) {
            pacer.wokeUp(0, 400_000);
        }

        assertThat(pacer.marginNanos()).isGreaterThan(WakeUpMargin.INITIAL_NANOS);
    }

    @Test
    void spinningEndsNoEarlierThanTheDueTimeAndIsCounted() {
        Pacer pacer = new Pacer(1_000_000);
        long due = System.nanoTime() + 50_000;

        long sentAt = pacer.spinUntil(due);

        assertThat(sentAt).isGreaterThanOrEqualTo(due);
        assertThat(pacer.spunNanos()).isPositive();
    }
}
