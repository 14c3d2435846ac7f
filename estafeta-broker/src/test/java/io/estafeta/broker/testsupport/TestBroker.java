package io.estafeta.broker.testsupport;

import io.estafeta.testkit.MosquittoBroker;
import io.estafeta.broker.Broker;
import io.estafeta.broker.config.BrokerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A broker for one test or test class: Estafeta on a free loopback port with anonymous access and its
 * data in a temporary directory, removed again on close.
 *
 * <p>Run with {@code -Destafeta.conformance.reference=mosquitto} to start Debian's Mosquitto with the same
 * limits instead: a way to check the tests themselves against a reference broker. Settings Mosquitto lacks
 * (the CONNECT timeout) are then not applied, so those tests are expected to fail there.
 */
public final class TestBroker implements AutoCloseable {

    private static final String REFERENCE_PROPERTY = "estafeta.conformance.reference";

    private final Path dataDirectory;
    private final Broker broker;
    private final MosquittoBroker reference;
    private final int port;

    private TestBroker(Path dataDirectory, Broker broker, MosquittoBroker reference, int port) {
        this.dataDirectory = dataDirectory;
        this.broker = broker;
        this.reference = reference;
        this.port = port;
    }

    public static TestBroker start() {
        return start(UnaryOperator.identity());
    }

    /** Starts a broker whose configuration the customizer may change (ports and data directory are set here). */
    public static TestBroker start(UnaryOperator<BrokerConfig.Builder> customizer) {
        Path dataDirectory = createDataDirectory();
        BrokerConfig config = customizer.apply(BrokerConfig.builder())
                .localOnlyPort(0)
                .dataDirectory(dataDirectory)
                .build();
        try {
            if ("mosquitto".equals(System.getProperty(REFERENCE_PROPERTY))) {
                MosquittoBroker reference = MosquittoReference.start(config, dataDirectory);
                return new TestBroker(dataDirectory, null, reference, reference.port());
            }
            Broker broker = Broker.start(config);
            InetSocketAddress address = broker.boundAddresses().get(0);
            return new TestBroker(dataDirectory, broker, null, address.getPort());
        } catch (RuntimeException | Error e) {
            deleteRecursively(dataDirectory);
            throw e;
        }
    }

    public String host() {
        return BrokerConfig.LOOPBACK;
    }

    /** The Estafeta broker under test; empty when the tests run against the Mosquitto reference. */
    public java.util.Optional<Broker> estafeta() {
        return java.util.Optional.ofNullable(broker);
    }

    public int port() {
        return port;
    }

    /** The address in Paho's form. */
    public String serverUri() {
        return "tcp://" + host() + ":" + port;
    }

    @Override
    public void close() {
        try {
            if (broker != null) {
                broker.close();
            }
            if (reference != null) {
                reference.close();
            }
        } finally {
            deleteRecursively(dataDirectory);
        }
    }

    @Override
    public String toString() {
        return (reference != null ? "mosquitto" : "estafeta") + "@" + host() + ":" + port;
    }

    private static Path createDataDirectory() {
        try {
            return Files.createTempDirectory("estafeta-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
