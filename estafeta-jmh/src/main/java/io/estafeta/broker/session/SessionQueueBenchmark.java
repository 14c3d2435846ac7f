package io.estafeta.broker.session;

import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.store.DeliveryHandle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The data structures of {@link Session}'s QoS 1 path, used the way Session uses them (it lives in this
 * package to reach the package-private {@link QueuedMessage} and {@link InflightMessage}): a message queued
 * in the ArrayDeque, moved to the in-flight LinkedHashMap under a packet identifier when the window has
 * room, and removed on PUBACK. Session itself needs an event loop and a connection, which would measure
 * those instead.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SessionQueueBenchmark {

    private static final int BURST = 1_000;
    private static final int INFLIGHT_WINDOW = 20;
    private static final int MAX_PACKET_ID = 65_535;
    private static final int[] NO_SUBSCRIPTION_IDS = new int[0];
    /** Sessions without persistence have no stored copy of a delivery. */
    private static final DeliveryHandle NO_STORED_DELIVERY = null;

    private final ArrayDeque<QueuedMessage> queue = new ArrayDeque<>();
    private final LinkedHashMap<Integer, InflightMessage> inflight = new LinkedHashMap<>();
    private ApplicationMessage message;
    private int nextPacketId = 1;

    @Setup
    public void setUp() {
        message = new ApplicationMessage("sensors/7/temperature", new byte[64], 1, false, "publisher");
    }

    /** Per message: enqueue, dequeue into the in-flight window, acknowledge (a burst of 1,000). */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public int queueThroughInflightWindow() {
        for (int i = 0; i < BURST; i++) {
            queue.add(new QueuedMessage(message, 1, NO_SUBSCRIPTION_IDS, null, NO_STORED_DELIVERY));
        }
        int acknowledged = 0;
        while (!queue.isEmpty()) {
            while (!queue.isEmpty() && inflight.size() < INFLIGHT_WINDOW) {
                QueuedMessage next = queue.poll();
                int packetId = nextPacketId;
                nextPacketId = packetId == MAX_PACKET_ID ? 1 : packetId + 1;
                inflight.put(packetId, new InflightMessage(packetId, next.message(), next.qos(), false,
                        next.subscriptionIds(), next.sharedGroup(), next.stored()));
            }
            // PUBACKs arrive in order: the oldest in-flight message first.
            Integer oldest = inflight.keySet().iterator().next();
            inflight.remove(oldest);
            acknowledged++;
        }
        inflight.clear();
        return acknowledged;
    }
}
