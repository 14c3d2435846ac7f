package io.estafeta.bench;

/** A run cannot go on: the broker refused or closed a connection, or cannot be reached. */
final class BenchException extends RuntimeException {

    BenchException(String message) {
        super(message);
    }

    BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
