package io.estafeta.cli;

import io.estafeta.broker.config.LoggingConfig;
import java.util.Set;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
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
}
