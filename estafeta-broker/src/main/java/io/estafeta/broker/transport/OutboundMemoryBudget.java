package io.estafeta.broker.transport;

import io.estafeta.broker.config.TrafficLimits;
import io.estafeta.broker.metrics.BrokerMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.group.ChannelGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code outbound_memory_budget}: the bytes written to every connection and not yet taken by its socket,
 * together. Each connection has its own bound already (QoS 0 is dropped above its write buffer's high-water
 * mark, QoS 1/2 stops at the in-flight window, the rest waits in its bounded session queue), but with
 * many connections those bounds add up to more memory than the machine has.
 *
 * <p>Past the budget, the connections holding more than their share of it (the budget divided by the open
 * connections) are closed, counted as {@code slowConsumersClosed}. Why close rather than stop reading
 * publishers: the bytes are held for a client that does not read its socket, so only it can free them;
 * pausing publishers would make every honest client wait on the slowest one, and the memory would still
 * be held. A closed client's persistent session keeps its QoS 1/2 messages in its (bounded) queue, so an
 * honest but slow client loses only QoS 0 messages and reconnects. Connections within their share are never
 * closed for it. Thread-safe; one per broker.
 */
final class OutboundMemoryBudget {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundMemoryBudget.class);

    private final long budget;
    private final BrokerMetrics metrics;
    /** Every connection: the share of each is the budget divided by their number. */
    private final ChannelGroup connections;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicBoolean reclaiming = new AtomicBoolean();
    private final Counter counter = new Counter();

    OutboundMemoryBudget(TrafficLimits limits, BrokerMetrics metrics, ChannelGroup connections) {
        this.budget = limits.outboundMemoryBudget();
        this.metrics = metrics;
        this.connections = connections;
    }

    boolean enabled() {
        return budget != TrafficLimits.NO_LIMIT;
    }

    /** The handler that counts what is written, for the place closest to the socket (after TLS); shared. */
    ChannelOutboundHandler counter() {
        return counter;
    }

    /** Bytes waiting in all outbound buffers now. */
    long pendingBytes() {
        return pending.get();
    }

    /**
     * Writes a buffer that goes to the socket as it is (nothing below re-frames it), counting it until the
     * socket has taken it. Event loop of the channel.
     */
    void write(ChannelHandlerContext ctx, ByteBuf buffer, ChannelPromise promise) {
        long size = buffer.readableBytes();
        // A void promise takes no listener; unvoid() gives one that still reports failures to the pipeline.
        ChannelPromise counted = promise.unvoid();
        counted.addListener(done -> pending.addAndGet(-size));
        long total = pending.addAndGet(size);
        ctx.write(buffer, counted);
        if (total > budget) {
            overBudget(ctx.channel());
        }
    }

    private void overBudget(Channel writer) {
        long share = budget / Math.max(1, connections.size());
        if (waiting(writer) > share) {
            closeForBudget(writer, share);
            return;
        }
        // Someone else holds the excess (a client that stopped reading gets no more writes once its
        // socket is full): find it. One search at a time; the others carry on writing.
        if (reclaiming.compareAndSet(false, true)) {
            try {
                for (Channel channel : connections) {
                    if (waiting(channel) > share) {
                        closeForBudget(channel, share);
                    }
                }
            } finally {
                reclaiming.set(false);
            }
        }
    }

    /** Bytes written to the channel and not yet taken by its socket: Netty's count, readable from any thread. */
    private static long waiting(Channel channel) {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    /** Any thread. */
    private void closeForBudget(Channel channel, long share) {
        channel.eventLoop().execute(() -> {
            if (!channel.isActive()) {
                return; // closed already, for the budget (a search and a write may both find it) or not
            }
            LOG.info("closing the connection from {}: {} bytes wait in its outbound buffer, more than its share"
                    + " ({}) of outbound_memory_budget ({}), which is used up", channel.remoteAddress(),
                    waiting(channel), share, budget);
            metrics.slowConsumerClosed();
            channel.close();
        });
    }

    /** Counts every buffer written through it: for listeners whose socket bytes are not MQTT's (TLS, WebSocket). */
    @ChannelHandler.Sharable
    private final class Counter extends ChannelOutboundHandlerAdapter {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof ByteBuf buffer && buffer.isReadable()) {
                OutboundMemoryBudget.this.write(ctx, buffer, promise);
            } else {
                ctx.write(msg, promise);
            }
        }
    }
}
