package io.estafeta.broker.transport;

import io.estafeta.broker.metrics.BrokerMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts the bytes of MQTT packets read from and written to every connection ($SYS
 * {@code bytes/received}, {@code bytes/sent}; Prometheus {@code estafeta_network_bytes_total}). Sits just
 * after TLS, so it counts MQTT bytes, not TLS records. One instance serves every connection.
 */
@ChannelHandler.Sharable
final class NetworkByteCounter extends ChannelDuplexHandler {

    private final BrokerMetrics metrics;

    NetworkByteCounter(BrokerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes) {
            metrics.networkBytesReceived(bytes.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf bytes) {
            metrics.networkBytesSent(bytes.readableBytes());
        }
        ctx.write(msg, promise);
    }
}
