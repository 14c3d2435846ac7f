package io.estafeta.broker.store;

/**
 * A write failed because the disk (or file system) holding the data directory is full. Nothing of the
 * failed write is promised: the caller must refuse what depended on it (MQTT 5: reason code 0x97 Quota
 * exceeded; MQTT 3.1.1: close the connection) rather than acknowledge it. Later writes succeed again
 * once space is freed.
 */
public final class StoreFullException extends StoreException {

    public StoreFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
