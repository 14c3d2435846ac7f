package io.estafeta.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class WakeUpMarginTest {

    private static final long MICROSECOND = 1_000;

    @Test
    void theMarginSettlesWhereOneWakeUpInTenComesLater() {
        // Wake-ups late by 0, 2, 4, ... 198 µs, in a shuffled order that repeats: the 90th percentile is 180 µs.
        List<Long> latenesses = new ArrayList<>();
        for (long lateness = 0; lateness < 200; lateness += 2) {
            latenesses.add(lateness * MICROSECOND);
        }
        WakeUpMargin margin = new WakeUpMargin();
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            Collections.shuffle(latenesses, random);
            latenesses.forEach(margin::observe);
        }

        assertThat(margin.nanos()).isBetween(170 * MICROSECOND, 190 * MICROSECOND);
    }

    @Test
    void wakeUpsThatComeOnTimeShrinkTheMarginToItsFloor() {
        WakeUpMargin margin = new WakeUpMargin();
        for (int i = 0; i < 10_000; i++) {
            margin.observe(0);
        }

        assertThat(margin.nanos()).isEqualTo(WakeUpMargin.MIN_NANOS);
    }

    @Test
    void wakeUpsLateByMillisecondsRaiseTheMarginOnlyToItsCeiling() {
        WakeUpMargin margin = new WakeUpMargin();
        for (int i = 0; i < 10_000; i++) {
            margin.observe(5_000 * MICROSECOND);
        }

        assertThat(margin.nanos()).isEqualTo(WakeUpMargin.MAX_NANOS);
    }
}
