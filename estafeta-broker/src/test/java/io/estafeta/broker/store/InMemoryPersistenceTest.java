package io.estafeta.broker.store;

import java.time.Duration;

class InMemoryPersistenceTest extends StoreContractTest {

    @Override
    protected Persistence open() {
        return new InMemoryPersistence();
    }

    @Override
    protected Persistence restart(Persistence before, Duration persistentClientExpiration) {
        InMemoryPersistence restarted = ((InMemoryPersistence) before).restart(clock, persistentClientExpiration);
        before.close();
        return restarted;
    }
}
