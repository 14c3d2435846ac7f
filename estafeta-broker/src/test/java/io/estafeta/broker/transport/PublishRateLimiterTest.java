package io.estafeta.broker.transport;

import io.estafeta.broker.config.TrafficLimits;
import io.estafeta.broker.metrics.BrokerMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The publish rate limit's token buckets, on a clock the test moves. */
class PublishRateLimiterTest {

    private final AtomicLong now = new AtomicLong();
    private final BrokerMetrics metrics = new BrokerMetrics();
    private EmbeddedChannel channel;

    @Test
    void readingStopsAtTheFirstPublishOverTheRateAndResumesWhenItIsPaidFor() {
        channel(TrafficLimits.DEFAULTS.withMaxPublishRate(2));

        channel.writeInbound(publish(1), publish(1));
        assertThat(channel.config().isAutoRead()).isTrue();
        channel.writeInbound(publish(1));
        assertThat(channel.config().isAutoRead()).isFalse();

        advance(TimeUnit.MILLISECONDS.toNanos(499));
        assertThat(channel.config().isAutoRead()).isFalse();
        advance(TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(metrics.snapshot().publishRateThrottles()).isEqualTo(1);
    }

    @Test
    void everyPublishIsPassedOnEvenOverTheRate() {
        channel(TrafficLimits.DEFAULTS.withMaxPublishRate(1));

        channel.writeInbound(publish(1), publish(1), publish(1));

        assertThat(channel.inboundMessages()).hasSize(3);
        channel.finishAndReleaseAll();
    }

    @Test
    void aPayloadLargerThanTheByteRateIsLetThroughAndPaidForByWaiting() {
        channel(TrafficLimits.DEFAULTS.withMaxPublishBytesRate(100));

        // 100 tokens in the bucket; 300 bytes leave it 200 in debt: two seconds at 100 bytes/s.
        channel.writeInbound(publish(300));
        assertThat(channel.config().isAutoRead()).isFalse();

        advance(TimeUnit.MILLISECONDS.toNanos(1999));
        assertThat(channel.config().isAutoRead()).isFalse();
        advance(TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void theBucketHoldsAtMostOneSecondsWorth() {
        channel(TrafficLimits.DEFAULTS.withMaxPublishRate(2));

        // A long quiet spell does not save up more than one second's worth.
        advance(TimeUnit.SECONDS.toNanos(60));
        channel.writeInbound(publish(1), publish(1));
        assertThat(channel.config().isAutoRead()).isTrue();
        channel.writeInbound(publish(1));
        assertThat(channel.config().isAutoRead()).isFalse();
    }

    private EmbeddedChannel channel(TrafficLimits limits) {
        channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(new PublishRateLimiter(limits, metrics, now::get));
        return channel;
    }

    private void advance(long nanos) {
        now.addAndGet(nanos);
        // The resume is scheduled on the channel's loop: move its clock as well, and run what is due.
        channel.advanceTimeBy(nanos, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
    }

    private static MqttPublishMessage publish(int payloadBytes) {
        return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_MOST_ONCE,
                false, 0), new MqttPublishVariableHeader("t", 0), Unpooled.wrappedBuffer(new byte[payloadBytes]));
    }
}
