package io.estafeta.broker.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Which files an {@code include_dir} reads, and in which order: Mosquitto's. */
final class IncludeDirectory {

    static final String SUFFIX = ".conf";

    /**
     * Mosquitto's order for included files: character by character, first ignoring case, then with the
     * upper case letter before the lower case one; a name that is a prefix of another comes first. So
     * {@code 00, 01, A, a, B, b, Z, _x} (checked against mosquitto 2.0.11). Case folding is ASCII-only, as
     * C's {@code toupper} in the C locale.
     */
    static final Comparator<String> MOSQUITTO_ORDER = (left, right) -> {
        int common = Math.min(left.length(), right.length());
        for (int i = 0; i < common; i++) {
            char l = left.charAt(i);
            char r = right.charAt(i);
            int ignoringCase = Character.compare(asciiUpperCase(l), asciiUpperCase(r));
            if (ignoringCase != 0) {
                return ignoringCase;
            }
            int exact = Character.compare(l, r);
            if (exact != 0) {
                return exact;
            }
        }
        return Integer.compare(left.length(), right.length());
    };

    private IncludeDirectory() {
    }

    /**
     * The entries of {@code directory} whose name ends in {@code .conf} (case-sensitive, and not just
     * {@code .conf} itself), in Mosquitto's order. Sub-directories so named are returned too: reading them
     * fails, as in Mosquitto.
     */
    static List<Path> configFiles(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries
                    .filter(entry -> isConfigFileName(entry.getFileName().toString()))
                    .sorted(Comparator.comparing(entry -> entry.getFileName().toString(), MOSQUITTO_ORDER))
                    .toList();
        }
    }

    private static boolean isConfigFileName(String name) {
        return name.length() > SUFFIX.length() && name.endsWith(SUFFIX);
    }

    private static char asciiUpperCase(char c) {
        return c >= 'a' && c <= 'z' ? (char) (c - 'a' + 'A') : c;
    }
}
