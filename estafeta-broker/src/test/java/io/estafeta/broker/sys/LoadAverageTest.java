package io.estafeta.broker.sys;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LoadAverageTest {

    private static final double PRECISION = 1e-9;

    @Test
    void oneMinuteAtAConstantRateMovesEachAverageByTheElapsedShareOfItsWindow() {
        LoadAverage load = new LoadAverage(0);

        load.update(60, 60);

        // 60 events in 60 s is 60 per minute; the 1-minute average gets 1 - e^-1 of the way there.
        double[] averages = load.averages();
        assertThat(averages[0]).isCloseTo(60 * (1 - Math.exp(-1)), within(PRECISION));
        assertThat(averages[1]).isCloseTo(60 * (1 - Math.exp(-60.0 / 300)), within(PRECISION));
        assertThat(averages[2]).isCloseTo(60 * (1 - Math.exp(-60.0 / 900)), within(PRECISION));
    }

    @Test
    void aSteadyRateIsWhatEveryAverageSettlesOn() {
        LoadAverage load = new LoadAverage(1000);
        long count = 1000;
        for (int second = 0; second < 3 * 3600; second += 10) {
            count += 20; // 20 per 10 s: 120 per minute
            load.update(count, 10);
        }

        assertThat(load.averages()).containsExactly(new double[] {120, 120, 120}, within(1e-3));
    }

    @Test
    void noEventsKeepsEveryAverageAtZero() {
        LoadAverage load = new LoadAverage(5);

        load.update(5, 10);

        assertThat(load.averages()).containsExactly(0, 0, 0);
    }
}
