package io.estafeta.client;

/**
 * The server acknowledged a PUBLISH with a failure reason code (5.0: PUBACK or PUBREC with a code of
 * 0x80 or above), or the client could not send it as asked (QoS or RETAIN the server does not support).
 */
public final class PublishFailedException extends MqttClientException {

    private final int reasonCode;

    public PublishFailedException(int reasonCode, String message) {
        super(message);
        this.reasonCode = reasonCode;
    }

    public int reasonCode() {
        return reasonCode;
    }
}
