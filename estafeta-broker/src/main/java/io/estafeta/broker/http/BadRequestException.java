package io.estafeta.broker.http;

/** A request the API cannot act on as written: answered 400 with the message as its JSON error. */
public final class BadRequestException extends Exception {

    public BadRequestException(String message) {
        super(message);
    }
}
