package io.estafeta.broker.transport;

import io.estafeta.broker.config.TrafficLimits;
import io.estafeta.broker.metrics.BrokerMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * {@code max_publish_rate} and {@code max_publish_bytes_rate} for one connection: token buckets that
 * refill at the configured rate and hold at most one second's worth. Every PUBLISH is passed on; one that
 * takes a bucket below zero stops the socket being read until the bucket is back at zero.
 *
 * <p>Why stop reading rather than disconnect or drop: a client over its rate is often an honest one
 * catching up after a reconnect. Not reading makes TCP push back on it (its send buffer fills, its writes
 * block or its client library queues), so it is slowed to the rate without losing a message and without
 * the reconnect storm a disconnect would cause; a client that cannot be slowed only slows itself. While
 * reading is stopped its keep-alive is not enforced (MqttConnection checks autoRead).
 *
 * <p>Lives on the channel's event loop, between the decoder and {@link MqttConnection}.
 */
final class PublishRateLimiter extends ChannelInboundHandlerAdapter {

    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final TokenBucket messages;
    private final TokenBucket bytes;
    private final BrokerMetrics metrics;
    private final LongSupplier clock;
    private ScheduledFuture<?> resume;

    PublishRateLimiter(TrafficLimits limits, BrokerMetrics metrics) {
        this(limits, metrics, System::nanoTime);
    }

    PublishRateLimiter(TrafficLimits limits, BrokerMetrics metrics, LongSupplier clock) {
        long now = clock.getAsLong();
        this.messages = limits.maxPublishRate() == TrafficLimits.NO_LIMIT ? null
                : new TokenBucket(limits.maxPublishRate(), now);
        this.bytes = limits.maxPublishBytesRate() == TrafficLimits.NO_LIMIT ? null
                : new TokenBucket(limits.maxPublishBytesRate(), now);
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof MqttPublishMessage publish) {
            long now = clock.getAsLong();
            long waitNanos = 0;
            if (messages != null) {
                waitNanos = messages.take(1, now);
            }
            if (bytes != null) {
                waitNanos = Math.max(waitNanos, bytes.take(publish.payload().readableBytes(), now));
            }
            if (waitNanos > 0 && resume == null) {
                metrics.publishRateThrottled();
                ReadSuspensions.set(ctx.channel(), ReadSuspensions.Reason.PUBLISH_RATE, true);
                resume = ctx.executor().schedule(() -> resume(ctx), waitNanos, TimeUnit.NANOSECONDS);
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (resume != null) {
            resume.cancel(false);
        }
    }

    private void resume(ChannelHandlerContext ctx) {
        long now = clock.getAsLong();
        long waitNanos = Math.max(messages == null ? 0 : messages.waitNanos(now),
                bytes == null ? 0 : bytes.waitNanos(now));
        if (waitNanos > 0) {
            // More was taken while the resume was pending (packets decoded from the last read).
            resume = ctx.executor().schedule(() -> resume(ctx), waitNanos, TimeUnit.NANOSECONDS);
            return;
        }
        resume = null;
        if (ctx.channel().isActive()) {
            ReadSuspensions.set(ctx.channel(), ReadSuspensions.Reason.PUBLISH_RATE, false);
        }
    }

    /**
     * Tokens that refill at {@code ratePerSecond} up to one second's worth, and may go into debt: a
     * message larger than the bucket is let through and paid for by waiting.
     */
    static final class TokenBucket {
        private final long ratePerSecond;
        private double tokens;
        private long refilledAt;

        TokenBucket(long ratePerSecond, long now) {
            this.ratePerSecond = ratePerSecond;
            this.tokens = ratePerSecond;
            this.refilledAt = now;
        }

        /** Takes {@code amount} tokens; returns how long to wait (ns) until the bucket is out of debt. */
        long take(long amount, long now) {
            refill(now);
            tokens -= amount;
            return waitNanos(now);
        }

        long waitNanos(long now) {
            refill(now);
            return tokens >= 0 ? 0 : (long) Math.ceil(-tokens * NANOS_PER_SECOND / ratePerSecond);
        }

        private void refill(long now) {
            long elapsed = now - refilledAt;
            if (elapsed > 0) {
                tokens = Math.min(ratePerSecond, tokens + (double) elapsed * ratePerSecond / NANOS_PER_SECOND);
                refilledAt = now;
            }
        }
    }
}
