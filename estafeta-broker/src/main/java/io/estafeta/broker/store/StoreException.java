package io.estafeta.broker.store;

/**
 * The store cannot do what was asked: its directory cannot be used (missing permissions, not a
 * directory, locked by another broker, corrupt) or a write failed. The message names the path and the
 * cause, in words an operator can act on; the broker turns one thrown at start-up into a non-zero exit.
 */
public class StoreException extends Exception {

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
