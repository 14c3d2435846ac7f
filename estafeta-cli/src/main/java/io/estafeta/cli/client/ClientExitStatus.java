package io.estafeta.cli.client;

/**
 * Exit statuses of {@code estafeta pub} and {@code sub}, Mosquitto's: a refused connection exits with
 * the server's CONNACK code itself (e.g. 5 not authorised, 135 = 0x87 in 5.0); the others are
 * libmosquitto's error numbers.
 */
final class ClientExitStatus {

    static final int SUCCESS = 0;
    /** Bad command line, unreadable input, or no connection to the server. */
    static final int FAILURE = 1;
    /** MOSQ_ERR_CONN_LOST: the connection ended before the work was done. */
    static final int CONNECTION_LOST = 7;
    /** MOSQ_ERR_TIMEOUT: {@code sub -W} ran out of time. */
    static final int TIMED_OUT = 27;

    private ClientExitStatus() {
    }
}
