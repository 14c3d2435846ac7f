package io.estafeta.cli;

import io.estafeta.broker.config.LoggingConfig;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import org.slf4j.Logger;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * What the command line changes about logging at run time: the level of Estafeta's loggers, and with
 * {@code log_format json} the encoder (one JSON object per line). Everything else (pattern, target) is in
 * logback.xml. Does nothing when SLF4J is bound to something other than Logback.
 */
final class Logging {

    /** The logger tree of our own code: -v turns it to DEBUG, leaving Netty's at INFO. */
    static final String ESTAFETA_LOGGERS = "io.estafeta";
    /** The appender logback.xml defines for every log line. */
    static final String APPENDER = "STDERR";

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
            if (logging.format() == LoggingConfig.Format.JSON) {
                writeJson(context);
            }
        }
    }

    /**
     * Logback's JsonEncoder on the stderr appender: timestamp, level, thread, logger, the formatted message,
     * the key-value pairs the broker adds to connection events (event, clientId, remoteAddress, ...) and any
     * exception. The unformatted message and its arguments are left out: the formatted message says it all.
     */
    private static void writeJson(LoggerContext context) {
        if (!(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(APPENDER)
                instanceof OutputStreamAppender<ILoggingEvent> appender)) {
            return;
        }
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.setWithFormattedMessage(true);
        encoder.start();
        appender.stop();
        appender.setEncoder(encoder);
        appender.start();
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
