package io.estafeta.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BrokerCpuTest {

    @Test
    void theCpuTimeOfARunningProcessIsReadFromProc() {
        long pid = ProcessHandle.current().pid();
        long spent = 0;
        // Burn some CPU so that this JVM has used at least one clock tick.
        for (int i = 0; i < 50_000_000; i++) {
            spent += i % 7;
        }

        assertThat(spent).isPositive();
        assertThat(BrokerCpu.usedNanos(pid)).isPresent();
        assertThat(BrokerCpu.usedNanos(pid).getAsLong()).isPositive();
    }

    @Test
    void aProcessThatDoesNotExistHasNoCpuTime() {
        assertThat(BrokerCpu.usedNanos(Integer.MAX_VALUE)).isEmpty();
    }
}
