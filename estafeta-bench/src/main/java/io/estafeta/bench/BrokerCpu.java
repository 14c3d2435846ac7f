package io.estafeta.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * A process's CPU time, all its threads, user and system, from {@code /proc/PID/stat} (Linux): what the
 * broker spent while the generator measured it.
 */
final class BrokerCpu {

    /** The unit of utime and stime in /proc: USER_HZ, 100 on every Linux architecture the JDK runs on. */
    private static final long NANOS_PER_TICK = TimeUnit.SECONDS.toNanos(1) / 100;
    /** After "pid (comm) ", utime and stime are the 12th and 13th fields (fields 14 and 15 of proc(5)). */
    private static final int UTIME_AFTER_COMM = 11;
    private static final int STIME_AFTER_COMM = 12;

    private BrokerCpu() {
    }

    /** CPU time the process has used so far, or empty if it cannot be read (no such process, not Linux). */
    static OptionalLong usedNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name may hold spaces and parentheses: the fields start after the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            long ticks = Long.parseLong(fields[UTIME_AFTER_COMM]) + Long.parseLong(fields[STIME_AFTER_COMM]);
            return OptionalLong.of(ticks * NANOS_PER_TICK);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
