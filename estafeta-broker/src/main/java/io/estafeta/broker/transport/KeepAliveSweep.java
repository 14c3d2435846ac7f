package io.estafeta.broker.transport;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The keep-alive of every connection on one event loop, checked by one periodic task: a connection whose
 * client sent no packet for one and a half times its keep-alive ([MQTT-3.1.2-24]; 5.0: [MQTT-3.1.2-22],
 * with the Server Keep Alive if the server set one) is told so and closes itself.
 *
 * <p>Why not Netty's {@code IdleStateHandler} per channel: it costs every connection a handler, a pipeline
 * context and a scheduled task (about 250 bytes of heap), and idle connections are many. Here a connection
 * costs a slot in four arrays; a packet costs a store into one of them. The price is precision: a packet
 * is noted with the time of the next sweep, so a silent client is closed between one and a half keep-alives
 * and that plus two {@link #SWEEP_INTERVAL_MILLIS} after its last packet, never earlier (Mosquitto checks
 * keep-alives once a second too).
 *
 * <p>Slots never move while a connection is watched (a connection keeps its slot number); a freed slot is
 * reused by the next connection. Confined to its event loop: every method must be called there.
 */
final class KeepAliveSweep {

    /** How often the connections are checked; also the precision of the close. */
    static final long SWEEP_INTERVAL_MILLIS = 1000;
    /** [MQTT-3.1.2-24] the server allows one and a half times the keep-alive. */
    private static final long ALLOWED_SILENCE_MILLIS_PER_KEEP_ALIVE_SECOND = 1500;
    private static final int INITIAL_SLOTS = 64;

    /** What the sweep asks of a connection it watches. */
    interface Client {

        /**
         * Whether the broker has stopped reading this client itself (a congested subscriber, a session claim,
         * the publish rate limit): its silence is then the broker's doing, not a keep-alive failure.
         */
        boolean readingSuspended();

        /** Nothing arrived from the client within one and a half keep-alives: close. Called at most once. */
        void keepAliveExpired();
    }

    private final EventExecutor loop;
    private Client[] clients = new Client[INITIAL_SLOTS];
    /** When a packet last arrived (or reading was last suspended), as of the sweep that noticed it. */
    private long[] lastHeardNanos = new long[INITIAL_SLOTS];
    private long[] allowedSilenceNanos = new long[INITIAL_SLOTS];
    /** A packet arrived since the last sweep. */
    private boolean[] heard = new boolean[INITIAL_SLOTS];
    /** Slots below this have been used; the sweep looks at no others. */
    private int used;
    private int[] freeSlots = new int[INITIAL_SLOTS];
    private int freeCount;
    private int watched;
    private ScheduledFuture<?> sweeping;

    KeepAliveSweep(EventExecutor loop) {
        this.loop = loop;
    }

    /**
     * Starts watching a client that just sent its CONNECT.
     *
     * @param keepAliveSeconds the keep-alive in force, more than 0 (0 means no keep-alive: do not watch)
     * @return the client's slot, for {@link #heard} and {@link #unwatch}
     */
    int watch(Client client, int keepAliveSeconds) {
        assert loop.inEventLoop();
        if (keepAliveSeconds <= 0) {
            throw new IllegalArgumentException("a keep-alive of " + keepAliveSeconds + " s is not watched");
        }
        int slot = freeCount > 0 ? freeSlots[--freeCount] : newSlot();
        clients[slot] = client;
        lastHeardNanos[slot] = loop.ticker().nanoTime();
        allowedSilenceNanos[slot] = TimeUnit.MILLISECONDS.toNanos(
                keepAliveSeconds * ALLOWED_SILENCE_MILLIS_PER_KEEP_ALIVE_SECOND);
        heard[slot] = false;
        if (watched++ == 0) {
            sweeping = loop.scheduleAtFixedRate(this::sweep, SWEEP_INTERVAL_MILLIS, SWEEP_INTERVAL_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
        return slot;
    }

    /** A packet arrived from the client in this slot. */
    void heard(int slot) {
        heard[slot] = true;
    }

    /**
     * Stops watching a client (it closed, or is closing); its slot may then be given to another. Nothing
     * happens if the slot no longer holds this client (the sweep already let it go).
     */
    void unwatch(int slot, Client client) {
        assert loop.inEventLoop();
        if (clients[slot] != client) {
            return;
        }
        clients[slot] = null;
        if (freeCount == freeSlots.length) {
            freeSlots = Arrays.copyOf(freeSlots, freeSlots.length * 2);
        }
        freeSlots[freeCount++] = slot;
        if (--watched == 0) {
            // Nothing to watch: no wake-ups on this loop until a client with a keep-alive connects.
            sweeping.cancel(false);
            sweeping = null;
        }
    }

    /** Clients watched now. */
    int watched() {
        return watched;
    }

    private int newSlot() {
        if (used == clients.length) {
            int capacity = clients.length * 2;
            clients = Arrays.copyOf(clients, capacity);
            lastHeardNanos = Arrays.copyOf(lastHeardNanos, capacity);
            allowedSilenceNanos = Arrays.copyOf(allowedSilenceNanos, capacity);
            heard = Arrays.copyOf(heard, capacity);
        }
        return used++;
    }

    private void sweep() {
        long now = loop.ticker().nanoTime();
        for (int slot = 0; slot < used; slot++) {
            Client client = clients[slot];
            if (client == null) {
                continue;
            }
            if (heard[slot] || client.readingSuspended()) {
                // Noted now, not when it arrived: the close may come up to a sweep late, never early.
                heard[slot] = false;
                lastHeardNanos[slot] = now;
            } else if (now - lastHeardNanos[slot] > allowedSilenceNanos[slot]) {
                unwatch(slot, client);
                client.keepAliveExpired();
            }
        }
    }
}
