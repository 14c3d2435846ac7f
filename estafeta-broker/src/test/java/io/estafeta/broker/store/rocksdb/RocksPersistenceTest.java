package io.estafeta.broker.store.rocksdb;

import io.estafeta.broker.store.Persistence;
import io.estafeta.broker.store.PersistenceOptions;
import io.estafeta.broker.store.StoreContractTest;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

class RocksPersistenceTest extends StoreContractTest {

    @TempDir
    Path dataDirectory;

    @Override
    protected Persistence open() throws Exception {
        return RocksPersistence.open(PersistenceOptions.of(dataDirectory), clock);
    }

    @Override
    protected Persistence restart(Persistence before, Duration persistentClientExpiration) throws Exception {
        before.close();
        return RocksPersistence.open(PersistenceOptions.of(dataDirectory)
                .withPersistentClientExpiration(persistentClientExpiration), clock);
    }
}
