package io.estafeta.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.util.ResourceLeakDetector;

import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Netty's buffer leak detector at PARANOID level (every buffer tracked), with its reports collected
 * instead of only logged, so a test can fail on them. The detector reports a leak when it finds a
 * garbage-collected buffer that was never released, which depends on the collector; {@link
 * TrackingAllocator} is the deterministic check, this one the safety net that also sees buffers made by
 * other allocators.
 */
final class LeakDetection {

    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    private static final int ALLOCATIONS_TO_TRIGGER_REPORTS = 16;

    static {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        try {
            // The byte buffer leak detector is package-private in Netty; its listener is the only hook.
            Field field = Class.forName("io.netty.buffer.AbstractByteBuf").getDeclaredField("leakDetector");
            field.setAccessible(true);
            @SuppressWarnings("unchecked")
            ResourceLeakDetector<ByteBuf> detector = (ResourceLeakDetector<ByteBuf>) field.get(null);
            detector.setLeakListener((resourceType, records) -> LEAKS.add(resourceType + ": " + records));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private LeakDetection() {
    }

    /** Turns on PARANOID leak detection for the rest of this JVM (idempotent). */
    static void enable() {
        // The static initializer does the work.
    }

    /** Leaks reported so far. Run a collection first so that unreleased garbage can be found. */
    static List<String> reportedLeaks() {
        System.gc();
        // The detector looks for collected buffers when the next buffer is tracked.
        for (int i = 0; i < ALLOCATIONS_TO_TRIGGER_REPORTS; i++) {
            new TrackingAllocator(false).buffer(1).release();
        }
        return List.copyOf(LEAKS);
    }
}
