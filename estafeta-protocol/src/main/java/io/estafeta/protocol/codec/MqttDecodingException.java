package io.estafeta.protocol.codec;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;

/**
 * Why {@link MqttPacketDecoder} refused a packet: the MQTT 5.0 reason code that names the failure, and a
 * message that names the broken rule and, where the specification numbers it, its statement id.
 *
 * <p>A refused packet reaches the pipeline as a message whose {@code decoderResult()} is a failure with
 * this exception as its cause. Two failures keep Netty's own exception types, so that code written for
 * Netty's decoder still recognises them: an unknown protocol name or level is a
 * {@link MqttUnacceptableProtocolVersionException}, a client identifier MQTT 3.1 does not allow is a
 * {@link MqttIdentifierRejectedException}. {@link #reasonCodeOf(Throwable)} maps every cause the decoder
 * produces (and Netty's {@link TooLongFrameException}) to its reason code.
 */
public class MqttDecodingException extends DecoderException {

    private static final long serialVersionUID = 1L;

    /**
     * The MQTT 5.0 reason codes a decoding failure maps to (section 2.4, tables 3-1 and 3-10). Each is
     * valid in a DISCONNECT, and all but {@link #TOPIC_ALIAS_INVALID} in a CONNACK; MQTT 3.1.1 has no
     * reason codes and closes the connection instead ([MQTT-4.8.0-1]).
     */
    public enum ReasonCode {
        /** The packet cannot be parsed according to the specification. */
        MALFORMED_PACKET(0x81),
        /** The packet parsed, but carries data the protocol does not allow. */
        PROTOCOL_ERROR(0x82),
        /** CONNECT with a protocol name or level this codec does not know ([MQTT-3.1.2-2]). CONNACK only. */
        UNSUPPORTED_PROTOCOL_VERSION(0x84),
        /** CONNECT with a client identifier the server refuses ([MQTT-3.1.3-8]). CONNACK only. */
        CLIENT_IDENTIFIER_NOT_VALID(0x85),
        /** A topic name that is well formed but not acceptable, such as one with wildcards ([MQTT-3.3.2-2]). */
        TOPIC_NAME_INVALID(0x90),
        /** A Topic Alias of 0 (section 3.3.4: "a Topic Alias value of 0 ... is a Protocol Error ... 0x94"). */
        TOPIC_ALIAS_INVALID(0x94),
        /** The packet is larger than the receiver's maximum packet size (section 3.2.2.3.6). */
        PACKET_TOO_LARGE(0x95);

        private final int value;

        ReasonCode(int value) {
            this.value = value;
        }

        /** The reason code as the unsigned byte value sent on the wire. */
        public int value() {
            return value;
        }

        /** The reason code as the byte Netty's message classes take. */
        public byte byteValue() {
            return (byte) value;
        }
    }

    private final ReasonCode reasonCode;

    public MqttDecodingException(ReasonCode reasonCode, String message) {
        super(message);
        this.reasonCode = reasonCode;
    }

    /** The reason code a DISCONNECT (or, for a CONNECT, a CONNACK) reports this failure with. */
    public ReasonCode reasonCode() {
        return reasonCode;
    }

    /**
     * The reason code for the cause of a failed {@code decoderResult()}: this class's own code, 0x84 for
     * Netty's {@link MqttUnacceptableProtocolVersionException}, 0x85 for its
     * {@link MqttIdentifierRejectedException}, 0x95 for a {@link TooLongFrameException}, and 0x81
     * (Malformed Packet) for anything else.
     */
    public static ReasonCode reasonCodeOf(Throwable cause) {
        if (cause instanceof MqttDecodingException decoding) {
            return decoding.reasonCode();
        }
        if (cause instanceof MqttUnacceptableProtocolVersionException) {
            return ReasonCode.UNSUPPORTED_PROTOCOL_VERSION;
        }
        if (cause instanceof MqttIdentifierRejectedException) {
            return ReasonCode.CLIENT_IDENTIFIER_NOT_VALID;
        }
        if (cause instanceof TooLongFrameException) {
            return ReasonCode.PACKET_TOO_LARGE;
        }
        return ReasonCode.MALFORMED_PACKET;
    }

    /**
     * No stack trace: the failure is in the peer's bytes, not in our code, and a peer sending bad packets
     * on many connections should not make us walk stacks for each.
     */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    static MqttDecodingException malformed(String message) {
        return new MqttDecodingException(ReasonCode.MALFORMED_PACKET, message);
    }

    static MqttDecodingException protocolError(String message) {
        return new MqttDecodingException(ReasonCode.PROTOCOL_ERROR, message);
    }
}
