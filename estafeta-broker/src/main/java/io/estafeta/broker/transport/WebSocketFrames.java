package io.estafeta.broker.transport;

import io.estafeta.broker.metrics.BrokerMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Turns WebSocket data frames into the byte stream the MQTT decoder reads, and each encoded packet into
 * one binary frame. Frame boundaries mean nothing to MQTT ([MQTT-6.0.0-2]): the decoder reassembles a
 * packet split across frames and splits a frame holding several packets, exactly as with TCP segments.
 * Control frames (ping, pong, close) never get here: {@code WebSocketServerProtocolHandler} answers them.
 */
final class WebSocketFrames extends MessageToMessageCodec<WebSocketFrame, ByteBuf> {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketFrames.class);

    private final BrokerMetrics metrics;
    /** Inside a fragmented binary message: its continuation frames carry MQTT bytes too. */
    private boolean inBinaryMessage;
    /** A non-binary frame arrived and the connection is closing: what else was read is dropped. */
    private boolean closing;

    WebSocketFrames(BrokerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
        if (closing) {
            return;
        }
        boolean binary = frame instanceof BinaryWebSocketFrame
                || (frame instanceof ContinuationWebSocketFrame && inBinaryMessage);
        if (!binary) {
            // [MQTT-6.0.0-1] MQTT travels in binary frames only; any other data frame closes the connection.
            closing = true;
            metrics.protocolViolation();
            LOG.info("closing WebSocket connection from {}: a {} where MQTT needs binary frames [MQTT-6.0.0-1]",
                    ctx.channel().remoteAddress(), frame.getClass().getSimpleName());
            ctx.close();
            return;
        }
        inBinaryMessage = !frame.isFinalFragment();
        out.add(frame.content().retain());
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf packet, List<Object> out) {
        out.add(new BinaryWebSocketFrame(packet.retain()));
    }
}
