package io.estafeta.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GeneratorCpuTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void spinningToSendOnTimeDoesNotCountAsAThreadsWork() {
        // Two loops over one second: the pacing one used 0.5 s of CPU of which 0.3 s spinning, the other 0.4 s.
        GeneratorCpu.Sample from = new GeneratorCpu.Sample(0, 0, new long[] {0, 0}, new long[] {0, 0}, 3, 10, 100);
        GeneratorCpu.Sample to = new GeneratorCpu.Sample(SECOND, SECOND, new long[] {SECOND / 2, 4 * SECOND / 10},
                new long[] {3 * SECOND / 10, 0}, 4, 25, 160);

        GeneratorCpu.Usage usage = GeneratorCpu.between(from, to);

        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(usage.busiestThreadPercent()).isCloseTo(40.0, within(1e-9));
        assertThat(usage.processPercentOfCores()).isCloseTo(100.0 / cores, within(1e-9));
        assertThat(usage.spinPercentOfCores()).isCloseTo(30.0 / cores, within(1e-9));
        assertThat(usage.workPercentOfCores()).isCloseTo(70.0 / cores, within(1e-9));
    }

    @Test
    void garbageCollectionsAndCompilationInBetweenAreReported() {
        GeneratorCpu.Sample from = new GeneratorCpu.Sample(0, 0, new long[0], new long[0], 3, 10, 100);
        GeneratorCpu.Sample to = new GeneratorCpu.Sample(SECOND, 0, new long[0], new long[0], 5, 25, 160);

        GeneratorCpu.Usage usage = GeneratorCpu.between(from, to);

        assertThat(usage.gcCount()).isEqualTo(2);
        assertThat(usage.gcMillis()).isEqualTo(15);
        assertThat(usage.jitMillis()).isEqualTo(60);
    }

    @Test
    void aSampleReadsTheGivenLoopThreadsAndTheirSpinning() {
        GeneratorCpu cpu = new GeneratorCpu(List.of(
                new GeneratorCpu.LoopThread(Thread.currentThread().threadId(), () -> 42)));

        GeneratorCpu.Sample sample = cpu.sample();

        assertThat(sample.threadSpunNanos()).containsExactly(42);
        assertThat(sample.threadCpuNanos()[0]).isPositive();
    }
}
