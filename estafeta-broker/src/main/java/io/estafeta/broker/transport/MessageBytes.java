package io.estafeta.broker.transport;

import io.estafeta.broker.message.ApplicationMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;

/**
 * What the deliveries of one message on one event loop share: its topic name in UTF-8 and, for a large
 * payload, one direct buffer holding the payload, which each PUBLISH then writes as a retained duplicate
 * instead of a copy.
 *
 * <p>Only the last message delivered on the loop is remembered. That is enough: the router hands a message to
 * all its subscribers at once, so on each subscriber loop its deliveries run one after another. Nothing is kept
 * per message: a queued or retained message costs no more memory, and the shared buffer is given back once the
 * tasks the loop had when it was made have run (or when the next message replaces it).
 *
 * <p>A copy is needed at all because a heap buffer cannot go to a socket: Netty's epoll and NIO transports copy
 * it into a direct one on write ({@code filterOutboundMessage}), once per subscriber. Below
 * {@link #SHARED_PAYLOAD_MIN_BYTES} copying the payload into the packet's own buffer costs less than a second
 * buffer and a composite per delivery (measured in {@code DeliveryEncodingBenchmark}). Event loop only.
 */
final class MessageBytes {

    /** Payloads from this size on are shared between deliveries; smaller ones are copied into each packet. */
    static final int SHARED_PAYLOAD_MIN_BYTES = 1024;

    private static final FastThreadLocal<MessageBytes> LAST_DELIVERED = new FastThreadLocal<>() {
        @Override
        protected MessageBytes initialValue() {
            return new MessageBytes();
        }

        @Override
        protected void onRemoval(MessageBytes bytes) {
            bytes.forget();
        }
    };

    private final Runnable forgetTask = this::scheduledForget;
    private ApplicationMessage message;
    private byte[] topic;
    private ByteBuf payload;
    private boolean forgetScheduled;

    private MessageBytes() {
    }

    /** This thread's shared bytes, for {@code message}: the last message's are dropped if it is another. */
    static MessageBytes of(ApplicationMessage message) {
        MessageBytes bytes = LAST_DELIVERED.get();
        if (bytes.message != message) {
            bytes.forget();
            bytes.message = message;
        }
        return bytes;
    }

    /** The topic name in UTF-8, encoded on the first delivery. */
    byte[] topic() {
        if (topic == null) {
            topic = message.topic().getBytes(StandardCharsets.UTF_8);
        }
        return topic;
    }

    /** Whether the payload is large enough to share rather than copy. */
    boolean sharesPayload() {
        return message.payloadSize() >= SHARED_PAYLOAD_MIN_BYTES;
    }

    /**
     * A retained duplicate of the payload in a direct buffer, made on the first call for this message and
     * given back after the tasks {@code loop} already has (the deliveries of this message handed to it).
     */
    ByteBuf retainedPayload(ByteBufAllocator allocator, EventExecutor loop) {
        if (payload != null) {
            return payload.retainedDuplicate();
        }
        byte[] bytes = message.payload();
        payload = allocator.directBuffer(bytes.length).writeBytes(bytes);
        ByteBuf shared = payload.retainedDuplicate();
        if (!forgetScheduled) {
            // One pending task at most: it gives back whatever buffer is held when it runs.
            try {
                loop.execute(forgetTask);
                forgetScheduled = true;
            } catch (RejectedExecutionException shuttingDown) {
                forget();
            }
        }
        return shared;
    }

    private void scheduledForget() {
        forgetScheduled = false;
        forget();
    }

    private void forget() {
        message = null;
        topic = null;
        if (payload != null) {
            payload.release();
            payload = null;
        }
    }
}
