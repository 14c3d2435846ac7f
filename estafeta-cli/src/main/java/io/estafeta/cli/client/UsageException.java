package io.estafeta.cli.client;

/**
 * The command line asks for something impossible; the message is the full line Mosquitto's clients
 * would print ("Error: ..."), followed by the hint to {@code --help}.
 */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }
}
