package io.estafeta.broker.transport;

import io.estafeta.broker.config.TrafficLimits;
import io.estafeta.broker.metrics.BrokerMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    private final AtomicLong pending = new AtomicLong();
    private final Set<Counter> counters = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean reclaiming = new AtomicBoolean();

    OutboundMemoryBudget(TrafficLimits limits, BrokerMetrics metrics) {
        this.budget = limits.outboundMemoryBudget();
        this.metrics = metrics;
    }

    boolean enabled() {
        return budget != TrafficLimits.NO_LIMIT;
    }

    /** A handler counting one connection's outbound bytes; added closest to the socket (after TLS). */
    ChannelDuplexHandler newCounter() {
        return new Counter();
    }

    /** Bytes waiting in all outbound buffers now. */
    long pendingBytes() {
        return pending.get();
    }

    private void overBudget(Counter writer) {
        long share = budget / Math.max(1, counters.size());
        if (writer.bytes > share) {
            writer.closeForBudget(share);
            return;
        }
        // Someone else holds the excess (a client that stopped reading gets no more writes once its
        // socket is full): find it. One search at a time; the others carry on writing.
        if (reclaiming.compareAndSet(false, true)) {
            try {
                for (Counter counter : counters) {
                    if (counter.bytes > share) {
                        counter.closeForBudget(share);
                    }
                }
            } finally {
                reclaiming.set(false);
            }
        }
    }

    /** One connection's bytes written but not yet taken by its socket. Event-loop confined writes. */
    private final class Counter extends ChannelDuplexHandler {
        /** Written on the channel's loop, read by a search on another loop. */
        private volatile long bytes;
        private ChannelHandlerContext ctx;
        private boolean closing;

        @Override
        public void handlerAdded(ChannelHandlerContext context) {
            ctx = context;
            counters.add(this);
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            counters.remove(this);
            context.fireChannelInactive();
        }

        @Override
        public void write(ChannelHandlerContext context, Object msg, ChannelPromise promise) {
            if (!(msg instanceof ByteBuf buffer) || buffer.readableBytes() == 0) {
                context.write(msg, promise);
                return;
            }
            long size = buffer.readableBytes();
            // A void promise takes no listener; unvoid() gives one that still reports failures to the pipeline.
            ChannelPromise counted = promise.unvoid();
            counted.addListener(done -> release(size));
            bytes += size;
            long total = pending.addAndGet(size);
            context.write(msg, counted);
            if (total > budget) {
                overBudget(this);
            }
        }

        private void release(long size) {
            bytes -= size;
            pending.addAndGet(-size);
        }

        /** Any thread. */
        private void closeForBudget(long share) {
            ctx.executor().execute(() -> {
                if (closing || !ctx.channel().isActive()) {
                    return;
                }
                closing = true;
                LOG.info("closing the connection from {}: {} bytes wait in its outbound buffer, more than its share"
                        + " ({}) of outbound_memory_budget ({}), which is used up", ctx.channel().remoteAddress(),
                        bytes, share, budget);
                metrics.slowConsumerClosed();
                ctx.channel().close();
            });
        }
    }
}
