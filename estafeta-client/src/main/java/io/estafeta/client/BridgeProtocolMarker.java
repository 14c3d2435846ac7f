package io.estafeta.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Sets the top bit of the Protocol Level in the encoded CONNECT (0x83 for 3.1, 0x84 for 3.1.1): the
 * mark with which Mosquitto's bridges tell a server that the client is a bridge ({@code try_private}),
 * so that it does not send the bridge back the messages the bridge published. Netty's encoder only
 * writes the levels the protocol defines, so the mark is set in the bytes, once, then this handler
 * leaves the pipeline.
 */
final class BridgeProtocolMarker extends ChannelOutboundHandlerAdapter {

    static final int BRIDGE_FLAG = 0x80;
    private static final int CONTINUATION_BIT = 0x80;
    private static final int STRING_LENGTH_BYTES = 2;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf encoded && encoded.readableBytes() > 0) {
            mark(encoded);
            ctx.pipeline().remove(this);
        }
        ctx.write(msg, promise);
    }

    /** Fixed header (type byte, Remaining Length), Protocol Name (length-prefixed), then the Protocol Level. */
    private static void mark(ByteBuf connect) {
        int index = connect.readerIndex() + 1;
        while ((connect.getByte(index) & CONTINUATION_BIT) != 0) {
            index++;
        }
        index++;
        int nameLength = connect.getUnsignedShort(index);
        int levelIndex = index + STRING_LENGTH_BYTES + nameLength;
        connect.setByte(levelIndex, connect.getByte(levelIndex) | BRIDGE_FLAG);
    }
}
