package io.estafeta.cli;

import io.estafeta.broker.config.LoggingConfig;
import io.estafeta.cli.client.Json;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class LoggingTest {

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

    @AfterEach
    void restoreLevels() {
        context.getLogger(Logging.ESTAFETA_LOGGERS).setLevel(null);
    }

    @Test
    void verboseTurnsEstafetasLoggersToDebugAndLeavesOthersAtInfo() {
        Logging.verbose();

        assertThat(context.getLogger("io.estafeta.broker.Broker").getEffectiveLevel()).isEqualTo(Level.DEBUG);
        assertThat(context.getLogger("io.netty.channel.Channel").getEffectiveLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void logTypeFlagsSetTheLevelOfEstafetasLoggers() {
        Logging.apply(new LoggingConfig(Set.of(LoggingConfig.Type.ERROR), true));
        assertThat(context.getLogger("io.estafeta.broker.Broker").getEffectiveLevel()).isEqualTo(Level.ERROR);

        Logging.apply(new LoggingConfig(Set.of(LoggingConfig.Type.NONE), true));
        assertThat(context.getLogger("io.estafeta.broker.Broker").getEffectiveLevel()).isEqualTo(Level.OFF);

        Logging.apply(LoggingConfig.DEFAULTS);
        assertThat(context.getLogger("io.estafeta.broker.Broker").getEffectiveLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("io.netty.channel.Channel").getEffectiveLevel()).isEqualTo(Level.INFO);
    }

    @Test
    @SuppressWarnings("unchecked")
    void logFormatJsonWritesEachEventAsOneJsonObjectWithItsKeyValuePairs() {
        OutputStreamAppender<ILoggingEvent> appender = (OutputStreamAppender<ILoggingEvent>)
                context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(Logging.APPENDER);
        Encoder<ILoggingEvent> textEncoder = appender.getEncoder();
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Logging.apply(new LoggingConfig(LoggingConfig.DEFAULTS.types(), true, LoggingConfig.Format.JSON));
            LoggerFactory.getLogger("io.estafeta.broker.transport.MqttConnection").atInfo()
                    .setMessage("client {} connected").addArgument("c1")
                    .addKeyValue("event", "connected").addKeyValue("clientId", "c1")
                    .log();
        } finally {
            System.setErr(stderr);
            appender.stop();
            appender.setEncoder(textEncoder);
            appender.start();
        }

        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(1);
        Map<String, Object> event = (Map<String, Object>) Json.parse(lines.getFirst()).orElseThrow(
                () -> new AssertionError("not JSON: " + lines.getFirst()));
        assertThat(event).containsEntry("level", "INFO")
                .containsEntry("loggerName", "io.estafeta.broker.transport.MqttConnection")
                .containsEntry("formattedMessage", "client c1 connected")
                .containsKey("timestamp");
        assertThat((List<Object>) event.get("kvpList"))
                .containsExactly(Map.of("event", "connected"), Map.of("clientId", "c1"));
    }
}
