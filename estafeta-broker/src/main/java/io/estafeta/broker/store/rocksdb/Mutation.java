package io.estafeta.broker.store.rocksdb;

import org.rocksdb.RocksDBException;

/** One requested write, applied to the batch being built on the writer thread. */
@FunctionalInterface
interface Mutation {

    void applyTo(BatchContext batch) throws RocksDBException;
}
