package io.estafeta.protocol.codec;

import io.estafeta.protocol.codec.MqttPacketDecoder.Peer;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttVersion;

/**
 * The packet being decoded: what the framing learned, and how far the parsing got. A failure reports the
 * fixed header and, when the failure is in the payload, the variable header already decoded, as Netty's
 * decoder does. One per decoder, reset for each packet.
 */
final class PacketInProgress {

    private final Peer sender;
    private MqttFixedHeader fixedHeader;
    private MqttVersion version;
    private boolean minimalRemainingLength;
    private Object variableHeader;

    PacketInProgress(Peer sender) {
        this.sender = sender;
    }

    void start(MqttFixedHeader header, MqttVersion protocolVersion, boolean minimal) {
        this.fixedHeader = header;
        this.version = protocolVersion;
        this.minimalRemainingLength = minimal;
        this.variableHeader = null;
    }

    void reset() {
        fixedHeader = null;
        variableHeader = null;
    }

    /** Who sent the packet: the peer whose packets this decoder reads. */
    Peer sender() {
        return sender;
    }

    MqttFixedHeader fixedHeader() {
        return fixedHeader;
    }

    /** The connection's protocol version; for a CONNECT, the one it asks for once that is read. */
    MqttVersion version() {
        return version;
    }

    boolean isMqtt5() {
        return version == MqttVersion.MQTT_5;
    }

    void version(MqttVersion protocolVersion) {
        this.version = protocolVersion;
    }

    /** Whether the Remaining Length used the fewest bytes possible ([MQTT-1.5.5-1]). */
    boolean hasMinimalRemainingLength() {
        return minimalRemainingLength;
    }

    Object variableHeader() {
        return variableHeader;
    }

    void variableHeader(Object header) {
        this.variableHeader = header;
    }
}
