package io.estafeta.protocol.codec;

/**
 * A packet whose size, known from its fixed header, is above the maximum this receiver accepts. The
 * decoder reports it as soon as the Remaining Length has arrived, without waiting for (or buffering)
 * the rest of the packet. Reason code 0x95 (Packet too large, section 3.2.2.3.6 and [MQTT-3.2.2-15]).
 */
public final class MqttPacketTooLargeException extends MqttDecodingException {

    private static final long serialVersionUID = 1L;

    private final long packetSize;
    private final int maxPacketSize;

    public MqttPacketTooLargeException(long packetSize, int maxPacketSize) {
        super(ReasonCode.PACKET_TOO_LARGE, "packet of " + packetSize
                + " bytes is larger than the maximum packet size of " + maxPacketSize + " bytes");
        this.packetSize = packetSize;
        this.maxPacketSize = maxPacketSize;
    }

    /** The whole packet's size in bytes: fixed header plus Remaining Length (section 2.1.4). */
    public long packetSize() {
        return packetSize;
    }

    /** The limit the packet broke. */
    public int maxPacketSize() {
        return maxPacketSize;
    }
}
