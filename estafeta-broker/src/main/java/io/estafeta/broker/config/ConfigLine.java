package io.estafeta.broker.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One directive line of a configuration file, already stripped of surrounding whitespace.
 *
 * @param source    the file (or other source) it came from, as shown in messages
 * @param number    its line number, from 1
 * @param directive the first word
 * @param value     everything after the directive and the whitespace following it; empty if nothing
 * @param arguments {@code value} split at whitespace
 */
record ConfigLine(String source, int number, String directive, String value, List<String> arguments) {

    private static final Pattern WHITESPACE = Pattern.compile("\\p{javaWhitespace}+");

    /** Splits a non-blank, stripped line into directive and value. */
    static ConfigLine of(String source, int number, String content) {
        String[] directiveAndValue = WHITESPACE.split(content, 2);
        String value = directiveAndValue.length > 1 ? directiveAndValue[1] : "";
        List<String> arguments = value.isEmpty() ? List.of() : List.of(WHITESPACE.split(value));
        return new ConfigLine(source, number, directiveAndValue[0], value, arguments);
    }

    /** Where this line is, as {@code FILE:LINE}. */
    String where() {
        return source + ":" + number;
    }

    /** The error for a value that is missing, malformed, out of range or followed by extra words. */
    ConfigException expected(String expectation) {
        String got = value.isEmpty() ? "nothing" : "'" + value + "'";
        return problem(directive + " expects " + expectation + ", got " + got);
    }

    /** An error about this line in the operator's words, prefixed with where it is. */
    ConfigException problem(String text) {
        return new ConfigException(where() + ": " + text);
    }
}
