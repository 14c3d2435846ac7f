package io.estafeta.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Reads the packets a ready connection receives (PUBLISH and the QoS 1/2 acknowledgements) where they
 * lie in the buffer and hands their fields to a {@link FrameListener}: no message object per packet, so a
 * subscriber can count a few hundred thousand messages a second on one thread.
 */
final class InboundFrames extends ByteToMessageDecoder {

    /** What a ready connection does with what it receives. Called on its event loop. */
    interface FrameListener {

        /** A PUBLISH; its payload is {@code in[payloadIndex, payloadIndex + payloadLength)}. */
        void onPublish(int qos, int packetId, ByteBuf in, int payloadIndex, int payloadLength);

        /** PUBACK, PUBREC, PUBREL or PUBCOMP ({@code type} is the packet type, 4 to 7). */
        void onAcknowledgement(int type, int packetId, int reasonCode);

        /** Any other packet (DISCONNECT from the server, PINGRESP, ...). */
        void onOtherPacket(int type);
    }

    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int PUBREC = 5;
    static final int PUBREL = 6;
    static final int PUBCOMP = 7;
    /** Reason code "Success" of an MQTT 5 acknowledgement that has none written ([MQTT-3.4.2.1]). */
    static final int SUCCESS = 0;

    private static final int TYPE_SHIFT = 4;
    private static final int QOS_MASK = 0x06;
    private static final int QOS_SHIFT = 1;
    private static final int MAX_LENGTH_BYTES = 4;
    private static final int CONTINUES = 0x80;
    private static final int DIGIT = 0x7F;
    private static final int DIGIT_BITS = 7;
    private static final int ACK_WITH_REASON_LENGTH = 3;

    private final FrameListener listener;
    private final boolean mqtt5;

    InboundFrames(FrameListener listener, boolean mqtt5) {
        this.listener = listener;
        this.mqtt5 = mqtt5;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 2) {
            int start = in.readerIndex();
            int remainingLength = 0;
            int lengthBytes = 0;
            int digit;
            do {
                if (lengthBytes == MAX_LENGTH_BYTES) {
                    throw new IllegalStateException("malformed Remaining Length from the broker");
                }
                if (1 + lengthBytes >= in.readableBytes()) {
                    return; // the rest of the length has not arrived
                }
                digit = in.getUnsignedByte(start + 1 + lengthBytes);
                remainingLength |= (digit & DIGIT) << (DIGIT_BITS * lengthBytes);
                lengthBytes++;
            } while ((digit & CONTINUES) != 0);
            int bodyStart = start + 1 + lengthBytes;
            if (in.writerIndex() - bodyStart < remainingLength) {
                return;
            }
            dispatch(in.getUnsignedByte(start), in, bodyStart, remainingLength);
            in.readerIndex(bodyStart + remainingLength);
        }
    }

    private void dispatch(int firstByte, ByteBuf in, int body, int length) {
        int type = firstByte >>> TYPE_SHIFT;
        switch (type) {
            case PUBLISH -> publish(firstByte, in, body, length);
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> listener.onAcknowledgement(type, in.getUnsignedShort(body),
                    mqtt5 && length >= ACK_WITH_REASON_LENGTH ? in.getUnsignedByte(body + 2) : SUCCESS);
            default -> listener.onOtherPacket(type);
        }
    }

    private void publish(int firstByte, ByteBuf in, int body, int length) {
        int qos = (firstByte & QOS_MASK) >>> QOS_SHIFT;
        int at = body + Short.BYTES + in.getUnsignedShort(body);
        int packetId = 0;
        if (qos > 0) {
            packetId = in.getUnsignedShort(at);
            at += Short.BYTES;
        }
        if (mqtt5) {
            int propertiesLength = 0;
            int index = 0;
            int digit;
            do {
                digit = in.getUnsignedByte(at++);
                propertiesLength |= (digit & DIGIT) << (DIGIT_BITS * index++);
            } while ((digit & CONTINUES) != 0);
            at += propertiesLength;
        }
        listener.onPublish(qos, packetId, in, at, body + length - at);
    }
}
