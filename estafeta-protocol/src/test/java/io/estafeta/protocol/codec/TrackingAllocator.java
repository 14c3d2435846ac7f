package io.estafeta.protocol.codec;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * An allocator that remembers every buffer it hands out, so a test can check that all of them were
 * released: a leak check that does not depend on the garbage collector. Buffers are wrapped by Netty's
 * leak detector as usual, so at PARANOID level every one is also tracked there.
 */
final class TrackingAllocator extends AbstractByteBufAllocator {

    private final List<ByteBuf> allocated = new ArrayList<>();

    TrackingAllocator(boolean preferDirect) {
        super(preferDirect);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return track(toLeakAwareBuffer(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity)));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return track(toLeakAwareBuffer(new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity)));
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    /** The buffers still holding a reference. */
    List<ByteBuf> unreleased() {
        return allocated.stream().filter(buffer -> buffer.refCnt() > 0).toList();
    }

    private ByteBuf track(ByteBuf buffer) {
        allocated.add(buffer);
        return buffer;
    }
}
