package io.estafeta.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The generator's own costs: CPU time of the whole process (OperatingSystemMXBean) and of each event loop
 * thread (ThreadMXBean), the part of it spent spinning to send on time (which is not work: a loop that
 * spins is not saturated), and its garbage collections and JIT compilation, so that a run can tell when the
 * generator, not the broker, set the pace or added to the latency.
 */
final class GeneratorCpu {

    /**
     * An event loop thread of the generator.
     *
     * @param threadId  its {@link Thread#threadId()}
     * @param spunNanos its time spent spinning so far (always 0 for a loop that does not pace)
     */
    record LoopThread(long threadId, LongSupplier spunNanos) {
    }

    /** The costs at one moment. */
    record Sample(long wallNanos, long processCpuNanos, long[] threadCpuNanos, long[] threadSpunNanos,
                  long gcCount, long gcMillis, long jitMillis) {
    }

    /**
     * Use of the generator's CPU between two samples.
     *
     * @param processPercentOfCores process CPU time over wall time times the cores it may use, in percent
     * @param spinPercentOfCores    the part of it spent spinning to send on time
     * @param busiestThreadPercent  the busiest event loop thread's CPU time, less its spinning, over wall
     *                              time, in percent
     * @param cores                 processors the generator may run on (its affinity mask, e.g. taskset)
     * @param gcCount               garbage collections of the generator in between
     * @param gcMillis              their accumulated time (milliseconds)
     * @param jitMillis             time the JIT compilers worked in between (milliseconds)
     */
    record Usage(double processPercentOfCores, double spinPercentOfCores, double busiestThreadPercent, int cores,
                 long gcCount, long gcMillis, long jitMillis) {

        /** CPU used for work, spinning left out. */
        double workPercentOfCores() {
            return processPercentOfCores - spinPercentOfCores;
        }
    }

    private static final double PERCENT = 100.0;

    private final List<LoopThread> loops;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final java.lang.management.OperatingSystemMXBean system = ManagementFactory.getOperatingSystemMXBean();
    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private final CompilationMXBean compilation = ManagementFactory.getCompilationMXBean();

    GeneratorCpu(List<LoopThread> loops) {
        this.loops = List.copyOf(loops);
    }

    Sample sample() {
        long[] perThread = new long[loops.size()];
        long[] spun = new long[loops.size()];
        for (int i = 0; i < perThread.length; i++) {
            perThread[i] = Math.max(0, threads.getThreadCpuTime(loops.get(i).threadId()));
            spun[i] = loops.get(i).spunNanos().getAsLong();
        }
        long process = system instanceof com.sun.management.OperatingSystemMXBean sun
                ? sun.getProcessCpuTime() : 0;
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean collector : collectors) {
            gcCount += Math.max(0, collector.getCollectionCount());
            gcMillis += Math.max(0, collector.getCollectionTime());
        }
        long jit = compilation != null && compilation.isCompilationTimeMonitoringSupported()
                ? compilation.getTotalCompilationTime() : 0;
        return new Sample(System.nanoTime(), process, perThread, spun, gcCount, gcMillis, jit);
    }

    static Usage between(Sample from, Sample to) {
        int cores = Runtime.getRuntime().availableProcessors();
        double wall = Math.max(1, to.wallNanos() - from.wallNanos());
        double process = PERCENT * (to.processCpuNanos() - from.processCpuNanos()) / (wall * cores);
        double busiest = 0;
        long spun = 0;
        for (int i = 0; i < from.threadCpuNanos().length; i++) {
            long threadSpun = to.threadSpunNanos()[i] - from.threadSpunNanos()[i];
            long threadCpu = to.threadCpuNanos()[i] - from.threadCpuNanos()[i];
            busiest = Math.max(busiest, PERCENT * Math.max(0, threadCpu - threadSpun) / wall);
            spun += threadSpun;
        }
        return new Usage(process, PERCENT * spun / (wall * cores), busiest, cores,
                to.gcCount() - from.gcCount(), to.gcMillis() - from.gcMillis(), to.jitMillis() - from.jitMillis());
    }
}
