package io.estafeta.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** A process's resident memory, from the {@code VmRSS} line of {@code /proc/PID/status} (Linux). */
final class BrokerMemory {

    private static final String RSS_FIELD = "VmRSS:";
    private static final long BYTES_PER_KB = 1024;

    private BrokerMemory() {
    }

    /** Resident bytes of the process, or empty if it cannot be read (no such process, not Linux). */
    static OptionalLong residentBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(RSS_FIELD)) {
                    // "VmRSS:     12345 kB"
                    String[] words = line.substring(RSS_FIELD.length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(words[0]) * BYTES_PER_KB);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
