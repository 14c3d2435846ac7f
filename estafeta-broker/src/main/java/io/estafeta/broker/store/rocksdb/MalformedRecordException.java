package io.estafeta.broker.store.rocksdb;

/** A stored key or value does not decode: the store is corrupt (or written by a newer Estafeta). */
final class MalformedRecordException extends RuntimeException {

    MalformedRecordException(String message) {
        super(message);
    }
}
