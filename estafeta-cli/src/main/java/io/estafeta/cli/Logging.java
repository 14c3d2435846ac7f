package io.estafeta.cli;

import io.estafeta.broker.config.LoggingConfig;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * The two things the command line changes about logging at run time. Everything else (pattern,
 * target) is in logback.xml. Does nothing when SLF4J is bound to something other than Logback.
 */
final class Logging {

    /** The logger tree of our own code: -v turns it to DEBUG, leaving Netty's at INFO. */
    static final String ESTAFETA_LOGGERS = "io.estafeta";

    private Logging() {
    }

    /**
     * The log level the configuration's {@code log_type} flags come down to, for Estafeta's own loggers
     * ({@code -v} still wins: call {@link #verbose()} after this).
     */
    static void apply(LoggingConfig logging) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            Level level = switch (logging.lowestSeverity()) {
                case DEBUG -> Level.DEBUG;
                case INFO -> Level.INFO;
                case WARN -> Level.WARN;
                case ERROR -> Level.ERROR;
                case OFF -> Level.OFF;
            };
            context.getLogger(ESTAFETA_LOGGERS).setLevel(level);
        }
    }

    /** What {@code -v} does. */
    static void verbose() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger(ESTAFETA_LOGGERS).setLevel(Level.DEBUG);
        }
    }

    /** Flushes and closes the appenders, so that the last lines before an exit are not lost. */
    static void stop() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            context.stop();
        }
    }
}
