package io.estafeta.broker.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the value of one directive line as a boolean, a whole number, a duration or a path, strictly:
 * anything else is a {@link ConfigException} naming what was expected.
 */
final class ConfigValues {

    static final String BOOLEAN = "true or false";
    static final int MAX_PORT = 65535;

    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]+");
    private static final Pattern EXPIRATION = Pattern.compile("([0-9]+)([a-z])");
    private static final String EXPIRATION_EXPECTATION =
            "a whole number above 0 followed by s (seconds), h (hours), d (days), w (weeks), m (months of 30 days)"
                    + " or y (years of 365 days), e.g. 14d";
    /** Mosquitto's units (h d w m y, where m is a 30-day month) plus Estafeta's own s for seconds. */
    private static final Map<Character, Duration> EXPIRATION_UNITS = Map.of(
            's', ChronoUnit.SECONDS.getDuration(),
            'h', ChronoUnit.HOURS.getDuration(),
            'd', ChronoUnit.DAYS.getDuration(),
            'w', ChronoUnit.WEEKS.getDuration(),
            'm', ChronoUnit.DAYS.getDuration().multipliedBy(30),
            'y', ChronoUnit.DAYS.getDuration().multipliedBy(365));

    private ConfigValues() {
    }

    /** Exactly {@code true} or {@code false}, as Mosquitto's own parser wants. */
    static boolean bool(ConfigLine line) throws ConfigException {
        return switch (single(line, BOOLEAN)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw line.expected(BOOLEAN);
        };
    }

    static String range(long min, long max) {
        return "a whole number from " + min + " to " + max;
    }

    /** A decimal whole number in {@code min..max}. */
    static long wholeNumber(ConfigLine line, long min, long max) throws ConfigException {
        return wholeNumber(line, min, max, range(min, max));
    }

    /** A decimal whole number in {@code min..max}; {@code expectation} words the error. */
    static long wholeNumber(ConfigLine line, long min, long max, String expectation) throws ConfigException {
        return wholeNumber(line, single(line, expectation), min, max, expectation);
    }

    /** One word of a line read as a decimal whole number in {@code min..max}. */
    static long wholeNumber(ConfigLine line, String word, long min, long max, String expectation)
            throws ConfigException {
        if (!WHOLE_NUMBER.matcher(word).matches()) {
            throw line.expected(expectation);
        }
        long number;
        try {
            number = Long.parseLong(word);
        } catch (NumberFormatException tooManyDigits) {
            throw line.expected(expectation);
        }
        if (number < min || number > max) {
            throw line.expected(expectation);
        }
        return number;
    }

    /** Mosquitto's persistent_client_expiration form: a count and a unit letter, e.g. {@code 14d}. */
    static Duration expiration(ConfigLine line) throws ConfigException {
        Matcher m = EXPIRATION.matcher(single(line, EXPIRATION_EXPECTATION));
        if (!m.matches() || !EXPIRATION_UNITS.containsKey(m.group(2).charAt(0))) {
            throw line.expected(EXPIRATION_EXPECTATION);
        }
        try {
            long count = Long.parseLong(m.group(1));
            if (count < 1) {
                throw line.expected(EXPIRATION_EXPECTATION);
            }
            return EXPIRATION_UNITS.get(m.group(2).charAt(0)).multipliedBy(count);
        } catch (NumberFormatException | ArithmeticException tooLong) {
            throw line.expected(EXPIRATION_EXPECTATION);
        }
    }

    /**
     * The whole rest of the line as a path, so that a path may contain spaces (as in Mosquitto, whose
     * string values run to the end of the line).
     */
    static Path path(ConfigLine line, String expectation) throws ConfigException {
        if (line.value().isEmpty()) {
            throw line.expected(expectation);
        }
        try {
            return Path.of(line.value());
        } catch (InvalidPathException e) {
            throw line.expected(expectation);
        }
    }

    /** The whole rest of the line, not empty (a password may contain spaces). */
    static String rest(ConfigLine line, String expectation) throws ConfigException {
        if (line.value().isEmpty()) {
            throw line.expected(expectation);
        }
        return line.value();
    }

    /** The one and only word after the directive. */
    static String single(ConfigLine line, String expectation) throws ConfigException {
        if (line.arguments().size() != 1) {
            throw line.expected(expectation);
        }
        return line.arguments().getFirst();
    }
}
