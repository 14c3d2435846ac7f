package io.estafeta.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;

/**
 * Drives one publisher: as fast as the broker takes it, or on a fixed {@link SendSchedule}. It never
 * writes to a channel that is not writable (TCP backpressure) and keeps at most {@code window} QoS 1/2
 * messages unacknowledged; the time it spent held back by either is the broker's share of a shortfall,
 * the rest is the generator's. Confined to the channel's event loop except {@link #start}, {@link #stop}
 * and {@link #snapshot}.
 *
 * <p>A scheduled publisher is woken by its loop's {@link Pacer} shortly before a message is due and spins
 * to the due time; each message carries its scheduled send time (latency is measured from it) and the
 * time it was actually written, and the difference, the generator's own lateness, is recorded.
 */
final class PublishPump {

    /** Messages written and flushed together: one write system call for many small packets. */
    private static final int MAX_BATCH = 64;
    /** Batches in a row before letting the event loop read (acknowledgements, other connections). */
    private static final int MAX_BATCHES_PER_TURN = 4;

    /** Counters at one moment. */
    record Counters(long sent, long completed, long refused, long blockedNanos, long behind, int inflight) {

        static final Counters ZERO = new Counters(0, 0, 0, 0, 0, 0);

        Counters plus(Counters other) {
            return new Counters(sent + other.sent, completed + other.completed, refused + other.refused,
                    blockedNanos + other.blockedNanos, behind + other.behind, inflight + other.inflight);
        }

        /** The counts since {@code earlier}; {@code behind} and {@code inflight} stay as they are now. */
        Counters minus(Counters earlier) {
            return new Counters(sent - earlier.sent, completed - earlier.completed, refused - earlier.refused,
                    blockedNanos - earlier.blockedNanos, behind, inflight);
        }
    }

    /**
     * How a rate-limited publisher keeps time.
     *
     * @param schedule     when its messages are due
     * @param pacer        its event loop's pacer
     * @param sendLateness where each message's actual send time minus its scheduled time is recorded
     */
    record Pacing(SendSchedule schedule, Pacer pacer, Recorder sendLateness) {
    }

    private final BenchConnection connection;
    private final Channel channel;
    private final PublishFrames frames;
    private final int qos;
    private final int window;
    /** Null when unlimited. */
    private final Pacing pacing;
    private final PacketIds packetIds = new PacketIds();
    private final Runnable tick = this::tick;

    private boolean running;
    private boolean tickPending;
    /** When the pending tick asked to run, or 0 if it was not a timed wake-up. */
    private long wakeUpAskedNanos;
    private long sent;
    private long completed;
    private long refused;
    private long blockedSinceNanos;
    private long blockedNanos;

    /**
     * @param pacing how a rate-limited publisher keeps time, or null to publish as fast as possible
     */
    PublishPump(BenchConnection connection, PublishFrames frames, int qos, int window, Pacing pacing) {
        this.connection = connection;
        this.channel = connection.channel();
        this.frames = frames;
        this.qos = qos;
        this.window = Math.min(window, connection.receiveMaximum());
        this.pacing = pacing;
    }

    /** The event loop this publisher runs on. */
    EventLoop eventLoop() {
        return channel.eventLoop();
    }

    /** Starts publishing (a scheduled publisher from its schedule's start). Any thread. */
    void start() {
        channel.eventLoop().execute(() -> {
            connection.attach(this);
            running = true;
            pump();
        });
    }

    /** Stops publishing; acknowledgements of what was sent are still counted. Any thread. */
    void stop() {
        if (channel.eventLoop().inEventLoop()) {
            running = false;
        } else {
            channel.eventLoop().execute(() -> running = false);
        }
    }

    /** The counters now, read on the event loop. Any thread but that one. */
    Counters snapshot() {
        try {
            return channel.eventLoop().submit(this::counters).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new BenchException("cannot read a publisher's counters", e.getCause());
        }
    }

    private Counters counters() {
        long now = System.nanoTime();
        long blocked = blockedNanos + (blockedSinceNanos != 0 ? now - blockedSinceNanos : 0);
        long behind = running && pacing != null ? Math.max(0, pacing.schedule().dueBy(now) - sent) : 0;
        return new Counters(sent, completed, refused, blocked, behind, packetIds.count());
    }

    void onCompleted(int packetId, boolean refusedByBroker) {
        if (!packetIds.release(packetId)) {
            return; // not ours (a duplicate acknowledgement)
        }
        completed++;
        if (refusedByBroker) {
            refused++;
        }
        // The freed room is used in onReadComplete: one write for all the acknowledgements of a read,
        // not one write system call per PUBACK (which cost the generator most of a core at 30k msg/s).
    }

    /** The end of a read from the socket: publish into the room its acknowledgements freed. */
    void onReadComplete() {
        if (!tickPending) {
            pump();
        }
    }

    void onWritabilityChanged() {
        if (channel.isWritable() && !tickPending) {
            pump();
        }
    }

    private void tick() {
        tickPending = false;
        if (pacing != null && running && canSend()) {
            long now = System.nanoTime();
            if (wakeUpAskedNanos != 0) {
                pacing.pacer().wokeUp(wakeUpAskedNanos, now);
                wakeUpAskedNanos = 0;
            }
            long due = pacing.schedule().dueNanos(sent);
            if (now < due) {
                if (!pacing.pacer().withinSpin(due, now)) {
                    scheduleNext(now);
                    return;
                }
                pacing.pacer().spinUntil(due);
            }
        }
        pump();
    }

    private boolean canSend() {
        return channel.isWritable() && (qos == 0 || packetIds.count() < window);
    }

    private void pump() {
        if (!running || !channel.isActive()) {
            return;
        }
        long now = System.nanoTime();
        for (int batches = 0; batches < MAX_BATCHES_PER_TURN; batches++) {
            long wanted = pacing != null ? pacing.schedule().dueBy(now) - sent : MAX_BATCH;
            if (wanted <= 0) {
                holdBack(now, false);
                break;
            }
            int room = qos == 0 ? MAX_BATCH : window - packetIds.count();
            if (!channel.isWritable() || room <= 0) {
                holdBack(now, true); // resumed by writability or an acknowledgement
                return;
            }
            holdBack(now, false);
            int count = (int) Math.min(Math.min(wanted, MAX_BATCH), room);
            ByteBuf batch = channel.alloc().ioBuffer(count * frames.frameLength());
            for (int i = 0; i < count; i++) {
                int packetId = qos == 0 ? 0 : packetIds.take();
                long scheduled = now;
                if (pacing != null) {
                    scheduled = pacing.schedule().dueNanos(sent);
                    pacing.sendLateness().recordValue(Math.max(0, now - scheduled));
                }
                frames.write(batch, packetId, scheduled, now);
                sent++;
            }
            channel.writeAndFlush(batch, channel.voidPromise());
            now = System.nanoTime();
        }
        scheduleNext(now);
    }

    private void scheduleNext(long now) {
        if (tickPending || !running) {
            return;
        }
        tickPending = true;
        // Scheduled, never execute()d: Netty runs tasks queued while it runs tasks in the same turn (for up
        // to its task quantum), so a pump that re-queued itself would starve the loop's reads (acks, other
        // connections) for up to a second; a scheduled task waits for the next turn, after the I/O.
        long wait = 0;
        if (pacing != null) {
            long wakeUpAt = pacing.pacer().wakeUpAt(pacing.schedule().dueNanos(sent));
            wait = wakeUpAt - now;
            wakeUpAskedNanos = wait > 0 ? wakeUpAt : 0;
        }
        channel.eventLoop().schedule(tick, Math.max(0, wait), TimeUnit.NANOSECONDS);
    }

    private void holdBack(long now, boolean blocked) {
        if (blocked && blockedSinceNanos == 0) {
            blockedSinceNanos = now;
        } else if (!blocked && blockedSinceNanos != 0) {
            blockedNanos += now - blockedSinceNanos;
            blockedSinceNanos = 0;
        }
    }
}
