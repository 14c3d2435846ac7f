package io.estafeta.broker.transport;

import io.estafeta.broker.metrics.BrokerMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts what passes between a connection and its peer for the $SYS topics and {@code /metrics}. Placed
 * right before the MQTT decoder, it sees the bytes of MQTT packets (TLS records and WebSocket frame
 * headers not included) both ways; and since every buffer written through it is one encoded packet
 * ({@code MqttEncoder} writes one buffer per packet, and whatever writes encoded packets itself must too),
 * it counts the packets sent as well. The packets received are counted by {@link MqttConnection}, which
 * sees each one decoded: one handler here instead of a second one after the codec, because each handler
 * costs every connection a pipeline context (64 bytes) and idle connections are many.
 *
 * <p>On a plain TCP listener the bytes it sees are the socket's, so it also holds them to the
 * {@link OutboundMemoryBudget} (one handler for both, for the same reason); below TLS or WebSocket framing
 * the budget has a handler of its own.
 *
 * <p>One shared instance per listener; a striped adder per count, so the cost on the hot path is an
 * uncontended add.
 */
@ChannelHandler.Sharable
final class TrafficCounter extends ChannelDuplexHandler {

    private final BrokerMetrics metrics;
    /** The budget to count written bytes against, or null when another handler does (or there is none). */
    private final OutboundMemoryBudget budget;

    /**
     * @param budget the outbound memory budget, if this handler writes to the socket directly (plain TCP);
     *               else null
     */
    TrafficCounter(BrokerMetrics metrics, OutboundMemoryBudget budget) {
        this.metrics = metrics;
        this.budget = budget;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes) {
            metrics.bytesReceived(bytes.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf packet && packet.isReadable()) {
            metrics.packetSent();
            metrics.bytesSent(packet.readableBytes());
            if (budget != null) {
                budget.write(ctx, packet, promise);
                return;
            }
        }
        ctx.write(msg, promise);
    }
}
