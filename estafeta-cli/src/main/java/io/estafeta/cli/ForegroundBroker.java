package io.estafeta.cli;

import io.estafeta.broker.Broker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;

/**
 * Keeps a started broker running in the foreground until the JVM is asked to stop (SIGTERM, SIGINT,
 * SIGHUP), then closes it from a shutdown hook: Broker.close() publishes the wills of connected
 * clients and closes their connections.
 */
final class ForegroundBroker {

    private static final Logger LOG = LoggerFactory.getLogger(ForegroundBroker.class);

    private final Broker broker;
    private final CountDownLatch stopped = new CountDownLatch(1);

    ForegroundBroker(Broker broker) {
        this.broker = broker;
    }

    /** Parks the calling (main) thread until shutdown; in practice the shutdown hook ends the JVM. */
    int runUntilStopped() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "estafeta-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitStatus.RUNTIME_FAILURE;
        }
        return ExitStatus.OK;
    }

    private void stop() {
        int status = ExitStatus.OK;
        LOG.info("stopping");
        try {
            broker.close();
            LOG.info("stopped");
        } catch (RuntimeException e) {
            LOG.error("the broker did not stop cleanly", e);
            status = ExitStatus.RUNTIME_FAILURE;
        }
        stopped.countDown();
        // Logback's console appender writes through at once, but stopping the context is what
        // guarantees that the lines above are out before the process ends.
        Logging.stop();
        // Once the shutdown hooks return, the JVM exits with 128 + the signal number (143 for SIGTERM).
        // A broker told to stop that stopped cleanly has succeeded, as Mosquitto reports with status 0,
        // so end the process here with the status we mean. (The main thread cannot: System.exit blocks
        // while shutdown hooks run.)
        Runtime.getRuntime().halt(status);
    }
}
