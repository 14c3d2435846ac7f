package io.estafeta.broker.http.json;

/** A request body that is not valid JSON; the message says what and where. */
public final class JsonException extends Exception {

    public JsonException(String message) {
        super(message);
    }
}
