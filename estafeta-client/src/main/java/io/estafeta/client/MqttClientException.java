package io.estafeta.client;

/** Why a client operation did not complete: not connected, connection lost, timed out, closed. */
public class MqttClientException extends RuntimeException {

    public MqttClientException(String message) {
        super(message);
    }

    public MqttClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
