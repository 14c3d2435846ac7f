package io.estafeta.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.estafeta.broker.config.TrafficLimits;
import io.estafeta.broker.metrics.BrokerMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The outbound budget's own handler, the one closest to the socket on TLS and WebSocket listeners (plain
 * TCP listeners count through {@link TrafficCounter}; end to end in {@code OutboundMemoryBudgetTest}).
 */
class OutboundBudgetCounterTest {

    private static final long BUDGET = 1000;

    private final BrokerMetrics metrics = new BrokerMetrics();
    private final ChannelGroup connections = new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE);
    private final OutboundMemoryBudget budget = new OutboundMemoryBudget(
            TrafficLimits.DEFAULTS.withOutboundMemoryBudget(BUDGET), metrics, connections);
    private final EmbeddedChannel channel = new EmbeddedChannel(budget.counter());

    @AfterEach
    void closeChannel() {
        channel.finishAndReleaseAll();
    }

    @Test
    void bytesWrittenArePendingUntilTheSocketTakesThem() {
        connections.add(channel);

        channel.write(Unpooled.wrappedBuffer(new byte[300]));
        assertThat(budget.pendingBytes()).isEqualTo(300);

        channel.flush();
        assertThat(budget.pendingBytes()).isZero();
    }

    @Test
    void aConnectionHoldingMoreThanItsShareIsClosedOnceTheBudgetIsUsedUp() {
        connections.add(channel);
        // A second connection halves the share: 500 bytes each.
        EmbeddedChannel other = new EmbeddedChannel();
        connections.add(other);

        channel.write(Unpooled.wrappedBuffer(new byte[600]));
        assertThat(channel.isActive()).as("within the budget").isTrue();
        channel.write(Unpooled.wrappedBuffer(new byte[600]));
        channel.runPendingTasks();

        assertThat(channel.isActive()).isFalse();
        assertThat(metrics.slowConsumersClosed()).isEqualTo(1);
        assertThat(other.isActive()).as("it held nothing").isTrue();
        other.finishAndReleaseAll();
    }
}
