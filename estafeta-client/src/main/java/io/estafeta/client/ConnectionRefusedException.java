package io.estafeta.client;

/** The server answered CONNECT with a CONNACK that refuses the connection. */
public final class ConnectionRefusedException extends MqttClientException {

    private final ConnAck connAck;

    public ConnectionRefusedException(ConnAck connAck) {
        super("connection refused by the server, reason code 0x" + Integer.toHexString(connAck.reasonCode())
                + connAck.reasonString().map(reason -> ": " + reason).orElse(""));
        this.connAck = connAck;
    }

    /** The refusing CONNACK, with its reason code and (5.0) properties. */
    public ConnAck connAck() {
        return connAck;
    }
}
