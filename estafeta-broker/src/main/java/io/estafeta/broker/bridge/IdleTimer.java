package io.estafeta.broker.bridge;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code start_type lazy}: notices when a connected bridge has carried no message, either way, for its
 * {@code idle_timeout}. Keep-alive pings are not traffic. Confined to the bridge's loop.
 */
final class IdleTimer {

    private final EventLoop loop;
    private final long timeoutNanos;
    private long lastTrafficNanos;
    private ScheduledFuture<?> check;
    private BooleanSupplier nothingWaiting;
    private Runnable idle;

    IdleTimer(EventLoop loop, Duration timeout) {
        this.loop = loop;
        this.timeoutNanos = timeout.toNanos();
    }

    /** A message crossed the bridge. */
    void traffic() {
        lastTrafficNanos = System.nanoTime();
    }

    /**
     * From now on, runs {@code onIdle} once, when no message has crossed for the timeout and
     * {@code nothingWaiting} holds (messages still unacknowledged keep the link up until they are).
     */
    void start(BooleanSupplier nothingWaitingNow, Runnable onIdle) {
        stop();
        this.nothingWaiting = nothingWaitingNow;
        this.idle = onIdle;
        traffic();
        checkIn(timeoutNanos);
    }

    void stop() {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    private void checkIn(long delayNanos) {
        check = loop.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        long quiet = System.nanoTime() - lastTrafficNanos;
        if (quiet < timeoutNanos) {
            checkIn(timeoutNanos - quiet);
        } else if (!nothingWaiting.getAsBoolean()) {
            checkIn(timeoutNanos);
        } else {
            check = null;
            idle.run();
        }
    }
}
