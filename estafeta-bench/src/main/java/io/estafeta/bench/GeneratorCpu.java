package io.estafeta.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * The generator's own CPU time: the whole process (OperatingSystemMXBean) and each event loop thread
 * (ThreadMXBean), so that a run can tell when the generator, not the broker, was saturated.
 */
final class GeneratorCpu {

    /** CPU time at one moment. */
    record Sample(long wallNanos, long processCpuNanos, long[] threadCpuNanos) {
    }

    /**
     * Use of the generator's CPU between two samples.
     *
     * @param processPercentOfCores process CPU time over wall time times the cores it may use, in percent
     * @param busiestThreadPercent  the busiest event loop thread's CPU time over wall time, in percent
     * @param cores                 processors the generator may run on (its affinity mask, e.g. taskset)
     */
    record Usage(double processPercentOfCores, double busiestThreadPercent, int cores) {
    }

    private static final double PERCENT = 100.0;

    private final List<Long> threadIds;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final java.lang.management.OperatingSystemMXBean system = ManagementFactory.getOperatingSystemMXBean();

    GeneratorCpu(List<Long> threadIds) {
        this.threadIds = List.copyOf(threadIds);
    }

    Sample sample() {
        long[] perThread = new long[threadIds.size()];
        for (int i = 0; i < perThread.length; i++) {
            perThread[i] = Math.max(0, threads.getThreadCpuTime(threadIds.get(i)));
        }
        long process = system instanceof com.sun.management.OperatingSystemMXBean sun
                ? sun.getProcessCpuTime() : 0;
        return new Sample(System.nanoTime(), process, perThread);
    }

    static Usage between(Sample from, Sample to) {
        int cores = Runtime.getRuntime().availableProcessors();
        double wall = Math.max(1, to.wallNanos() - from.wallNanos());
        double process = PERCENT * (to.processCpuNanos() - from.processCpuNanos()) / (wall * cores);
        double busiest = 0;
        for (int i = 0; i < from.threadCpuNanos().length; i++) {
            busiest = Math.max(busiest, PERCENT * (to.threadCpuNanos()[i] - from.threadCpuNanos()[i]) / wall);
        }
        return new Usage(process, busiest, cores);
    }
}
