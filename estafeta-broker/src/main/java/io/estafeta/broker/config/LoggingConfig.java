package io.estafeta.broker.config;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What the broker logs, in Mosquitto's terms: the {@code log_type} flags and {@code connection_messages}.
 * The broker itself only reads {@link #connectionMessages()} and the subscribe flags; the command line
 * turns the severity flags into a log level ({@link #lowestSeverity()}).
 *
 * @param types              the {@code log_type} values in force
 * @param connectionMessages whether client connections and disconnections are logged
 * @param format             how the command line writes log lines (Estafeta's {@code log_format})
 */
public record LoggingConfig(Set<Type> types, boolean connectionMessages, Format format) {

    /** How a log line is written: for people, or one JSON object per line for log collectors. */
    public enum Format {
        TEXT, JSON;

        /** The name as written in the configuration file. */
        public String directiveValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Mosquitto's {@code log_type} values. */
    public enum Type {
        DEBUG, ERROR, WARNING, NOTICE, INFORMATION, SUBSCRIBE, UNSUBSCRIBE, WEBSOCKETS, NONE, ALL;

        /** The name as written in the configuration file. */
        public String directiveValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The log level the severity flags come down to. */
    public enum Severity { DEBUG, INFO, WARN, ERROR, OFF }

    /** Mosquitto's default: error, warning, notice and information; connection messages on. */
    public static final LoggingConfig DEFAULTS = new LoggingConfig(
            EnumSet.of(Type.ERROR, Type.WARNING, Type.NOTICE, Type.INFORMATION), true);

    public LoggingConfig {
        types = types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
        Objects.requireNonNull(format, "format");
    }

    /** Text lines. */
    public LoggingConfig(Set<Type> types, boolean connectionMessages) {
        this(types, connectionMessages, Format.TEXT);
    }

    public boolean logs(Type type) {
        return types.contains(Type.ALL) || types.contains(type);
    }

    /** The most detailed severity any flag asks for. */
    public Severity lowestSeverity() {
        if (logs(Type.DEBUG)) {
            return Severity.DEBUG;
        }
        if (logs(Type.INFORMATION) || logs(Type.NOTICE) || logs(Type.SUBSCRIBE) || logs(Type.UNSUBSCRIBE)) {
            return Severity.INFO;
        }
        if (logs(Type.WARNING)) {
            return Severity.WARN;
        }
        if (logs(Type.ERROR)) {
            return Severity.ERROR;
        }
        return Severity.OFF;
    }
}
