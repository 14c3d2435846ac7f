package io.estafeta.broker;

/** The broker could not start (a port in use, an address that does not exist, ...). */
public final class BrokerStartException extends RuntimeException {

    public BrokerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
