package io.estafeta.broker.transport;

import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.metrics.BrokerMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MqttConnection#isWritable()} on a connection whose socket takes nothing: it flushes before calling the
 * client slow, but once per loop turn, not once per QoS 0 message of a burst (the profile's 8% in flushes).
 */
class CongestedConnectionFlushTest {

    private static final int LOW_WATER_MARK = 8;
    private static final int HIGH_WATER_MARK = 16;
    private static final int BACKLOG_BYTES = 4 * HIGH_WATER_MARK;
    private static final int BURST = 100;

    private final Socket socket = new Socket();
    private EmbeddedChannel channel;
    private MqttConnection connection;

    /** Counts flushes and, while full, keeps them from the channel: written bytes stay pending, as on a full socket. */
    private static final class Socket extends ChannelOutboundHandlerAdapter {
        int flushes;
        boolean full = true;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes++;
            if (!full) {
                ctx.flush();
            }
        }
    }

    @BeforeEach
    void congestedConnection() {
        channel = new EmbeddedChannel();
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(LOW_WATER_MARK, HIGH_WATER_MARK));
        connection = new MqttConnection(new ConnectionServices(BrokerConfig.defaults(), null, null, null, null, null,
                null, new BrokerMetrics(), null, null));
        channel.pipeline().addLast(socket, connection);
        fillOutboundBuffer();
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private void fillOutboundBuffer() {
        channel.write(Unpooled.buffer(BACKLOG_BYTES).writeZero(BACKLOG_BYTES));
        assertThat(channel.isWritable()).isFalse();
    }

    private int checkBurst() {
        int writable = 0;
        for (int i = 0; i < BURST; i++) {
            writable += connection.isWritable() ? 1 : 0;
        }
        return writable;
    }

    @Test
    void aBurstOfChecksOnACongestedConnectionFlushesOnce() {
        assertThat(checkBurst()).as("checks that found the connection writable").isZero();
        assertThat(socket.flushes).isEqualTo(1);
    }

    @Test
    void afterTheScheduledFlushOfNewWritesTheNextCheckFlushesAgain() {
        checkBurst();
        connection.sendPublish(new ApplicationMessage("t", new byte[1], 1, false, "p"), 1, 1, false, false,
                PublishPacket.NO_SUBSCRIPTION_IDS);
        checkBurst();
        assertThat(socket.flushes).as("before the scheduled flush").isEqualTo(1);

        channel.runPendingTasks();
        assertThat(socket.flushes).as("the scheduled flush").isEqualTo(2);
        assertThat(checkBurst()).isZero();
        assertThat(socket.flushes).as("the next burst's one flush").isEqualTo(3);
    }

    @Test
    void afterTheConnectionDrainedTheNextCongestionFlushesAgain() {
        checkBurst();
        socket.full = false;
        channel.flush();
        channel.runPendingTasks();
        assertThat(connection.isWritable()).isTrue();
        int flushesWhileDraining = socket.flushes;

        socket.full = true;
        fillOutboundBuffer();
        assertThat(checkBurst()).isZero();
        assertThat(socket.flushes).isEqualTo(flushesWhileDraining + 1);
    }

    @Test
    void aFlushThatDrainsTheConnectionMakesItWritable() {
        socket.full = false;
        assertThat(connection.isWritable()).isTrue();
        assertThat(socket.flushes).isEqualTo(1);
    }
}
