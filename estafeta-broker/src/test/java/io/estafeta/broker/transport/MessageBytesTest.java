package io.estafeta.broker.transport;

import io.estafeta.broker.message.ApplicationMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** What the deliveries of one message on one loop share, and when the shared buffer is given back. */
class MessageBytesTest {

    private static final byte[] LARGE_PAYLOAD = new byte[MessageBytes.SHARED_PAYLOAD_MIN_BYTES];
    /** Direct buffers without a leak detector's wrapper: unwrap() is the shared buffer, refCnt() its count. */
    private static final ByteBufAllocator ALLOCATOR = new UnpooledByteBufAllocator(true, true);
    private final EmbeddedChannel loop = new EmbeddedChannel();

    static {
        LARGE_PAYLOAD[0] = 7;
    }

    @AfterEach
    void close() {
        loop.runPendingTasks();
        loop.finishAndReleaseAll();
    }

    private static ApplicationMessage message(String topic, byte[] payload) {
        return new ApplicationMessage(topic, payload, 0, false, "publisher");
    }

    private ByteBuf retainedPayload(ApplicationMessage message) {
        return MessageBytes.of(message).retainedPayload(ALLOCATOR, loop.eventLoop());
    }

    @Test
    void theTopicIsEncodedOnceForEveryDeliveryOfAMessage() {
        ApplicationMessage message = message("capteurs/température", new byte[1]);
        byte[] first = MessageBytes.of(message).topic();
        assertThat(MessageBytes.of(message).topic()).isSameAs(first)
                .isEqualTo("capteurs/température".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anotherMessageGetsItsOwnTopicBytes() {
        byte[] first = MessageBytes.of(message("a", new byte[1])).topic();
        byte[] second = MessageBytes.of(message("b", new byte[1])).topic();
        assertThat(second).isNotSameAs(first).containsExactly('b');
    }

    @Test
    void onlyPayloadsFromTheThresholdOnAreShared() {
        assertThat(MessageBytes.of(message("t", LARGE_PAYLOAD)).sharesPayload()).isTrue();
        assertThat(MessageBytes.of(message("t", new byte[MessageBytes.SHARED_PAYLOAD_MIN_BYTES - 1])).sharesPayload())
                .isFalse();
    }

    @Test
    void deliveriesOfOneMessageShareOnePayloadBuffer() {
        ApplicationMessage message = message("t", LARGE_PAYLOAD);
        ByteBuf first = retainedPayload(message);
        ByteBuf second = retainedPayload(message);
        try {
            assertThat(second.unwrap()).isSameAs(first.unwrap());
            assertThat(first.isDirect()).isTrue();
            assertThat(ByteBufUtil.getBytes(second)).isEqualTo(LARGE_PAYLOAD);
        } finally {
            first.release();
            second.release();
        }
    }

    @Test
    void theSharedPayloadIsGivenBackOnceTheLoopRanTheTasksItHad() {
        ByteBuf delivery = retainedPayload(message("t", LARGE_PAYLOAD));
        ByteBuf shared = delivery.unwrap();
        delivery.release();
        assertThat(shared.refCnt()).as("held for further deliveries").isEqualTo(1);

        loop.runPendingTasks();
        assertThat(shared.refCnt()).isZero();
    }

    @Test
    void aDeliveryStillBeingWrittenKeepsThePayloadAfterItIsGivenBack() {
        ByteBuf delivery = retainedPayload(message("t", LARGE_PAYLOAD));
        loop.runPendingTasks();
        try {
            assertThat(ByteBufUtil.getBytes(delivery)).isEqualTo(LARGE_PAYLOAD);
        } finally {
            delivery.release();
        }
        assertThat(delivery.refCnt()).isZero();
    }

    @Test
    void theNextMessageGivesBackThePreviousPayload() {
        ByteBuf delivery = retainedPayload(message("t", LARGE_PAYLOAD));
        ByteBuf shared = delivery.unwrap();
        delivery.release();

        MessageBytes.of(message("t", LARGE_PAYLOAD));
        assertThat(shared.refCnt()).isZero();
    }
}
