package io.estafeta.broker.store.rocksdb;

import io.estafeta.broker.message.ApplicationMessage;

/**
 * A message in the {@code messages} column with the number of deliveries that refer to it. Confined to
 * the writer thread (or to the opening thread before the writer starts).
 */
final class StoredBody {

    final long id;
    final ApplicationMessage message;
    int references;

    StoredBody(long id, ApplicationMessage message) {
        this.id = id;
        this.message = message;
    }
}
