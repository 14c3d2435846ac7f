package io.estafeta.client;

/**
 * Why a connection to one of the later server addresses was closed: the first address accepts TCP
 * connections again, and the client prefers it ({@link MqttClientOptions#firstAddressProbeInterval()}).
 * Reported to {@link ConnectionListener#connectionLost}; the next attempt goes to the first address.
 */
public final class FirstAddressAvailableException extends MqttClientException {

    private final ServerAddress left;
    private final ServerAddress first;

    public FirstAddressAvailableException(ServerAddress left, ServerAddress first) {
        super("leaving " + left + ": the first address " + first + " accepts connections again");
        this.left = left;
        this.first = first;
    }

    /** The address whose connection was closed. */
    public ServerAddress left() {
        return left;
    }

    /** The first address, connected to next. */
    public ServerAddress first() {
        return first;
    }
}
