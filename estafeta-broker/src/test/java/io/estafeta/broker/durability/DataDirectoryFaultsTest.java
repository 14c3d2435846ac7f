package io.estafeta.broker.durability;

import io.estafeta.broker.Broker;
import io.estafeta.broker.BrokerStartException;
import io.estafeta.broker.config.BrokerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A data directory the broker cannot use stops it with the path and the cause (the command line turns
 * that into a non-zero exit), never a silent start with an empty store. The store's own fault tests
 * cover each cause in detail; these check that the broker passes them on and leaves nothing running.
 */
class DataDirectoryFaultsTest {

    @TempDir
    Path directory;

    private static BrokerConfig config(Path dataDirectory) {
        return BrokerConfig.builder().localOnlyPort(0).dataDirectory(dataDirectory).build();
    }

    @Test
    void aSecondBrokerOnTheSameDataDirectoryDoesNotStart() {
        try (Broker first = Broker.start(config(directory))) {
            assertThatThrownBy(() -> Broker.start(config(directory)))
                    .isInstanceOf(BrokerStartException.class)
                    .hasMessageContaining(directory.resolve("store").toString())
                    .hasMessageContaining("in use by another Estafeta broker");
            assertThat(first.sessionCount()).isZero();
        }
    }

    @Test
    void aDataDirectoryThatIsAFileStopsTheBroker() throws Exception {
        Path file = Files.writeString(directory.resolve("not-a-directory"), "x");
        assertThatThrownBy(() -> Broker.start(config(file)))
                .isInstanceOf(BrokerStartException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void aCorruptStoreStopsTheBrokerInsteadOfStartingEmpty() throws Exception {
        Path store = Files.createDirectories(directory.resolve("store"));
        Files.writeString(store.resolve("CURRENT"), "MANIFEST-000999\n"); // names a manifest that is not there
        assertThatThrownBy(() -> Broker.start(config(directory)))
                .isInstanceOf(BrokerStartException.class)
                .hasMessageContaining(store.toString())
                .hasMessageContaining("corrupt");
    }

    @Test
    void aFailedStartHoldsNothing() {
        // The refused broker kept no lock and no listener: once the first one stops, the store opens again.
        Broker first = Broker.start(config(directory));
        assertThatThrownBy(() -> Broker.start(config(directory))).isInstanceOf(BrokerStartException.class);
        first.close();
        try (Broker again = Broker.start(config(directory))) {
            assertThat(again.port()).isPositive();
        }
    }
}
