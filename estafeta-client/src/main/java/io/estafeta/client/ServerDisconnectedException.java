package io.estafeta.client;

/** The server ended the connection with a DISCONNECT packet (5.0) and this reason code. */
public final class ServerDisconnectedException extends MqttClientException {

    private final int reasonCode;

    public ServerDisconnectedException(int reasonCode, String reasonString) {
        super("server sent DISCONNECT, reason code 0x" + Integer.toHexString(reasonCode)
                + (reasonString == null ? "" : ": " + reasonString));
        this.reasonCode = reasonCode;
    }

    public int reasonCode() {
        return reasonCode;
    }
}
