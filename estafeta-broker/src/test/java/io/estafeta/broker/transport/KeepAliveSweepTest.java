package io.estafeta.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

/**
 * The sweep on an embedded event loop whose clock only moves when the test moves it, so "silent for longer
 * than 1.5 x keep-alive" is exact here. The end-to-end behaviour over real sockets is in
 * {@code KeepAliveConformanceTest} and {@code ServerDisconnectConformanceTest}.
 */
class KeepAliveSweepTest {

    private static final int KEEP_ALIVE_SECONDS = 10;
    /** [MQTT-3.1.2-24] one and a half keep-alives. */
    private static final long ALLOWED_SILENCE_MILLIS = 15_000;

    private final EmbeddedChannel channel = newFrozenChannel();
    private final KeepAliveSweep sweep = new KeepAliveSweep(channel.eventLoop());

    private static EmbeddedChannel newFrozenChannel() {
        EmbeddedChannel embedded = new EmbeddedChannel();
        embedded.freezeTime();
        return embedded;
    }

    @AfterEach
    void closeChannel() {
        channel.finishAndReleaseAll();
    }

    /** Moves the loop's clock on, running each sweep that falls due on the way, one interval at a time. */
    private void pass(long millis) {
        for (long passed = 0; passed < millis; passed += KeepAliveSweep.SWEEP_INTERVAL_MILLIS) {
            channel.advanceTimeBy(Math.min(KeepAliveSweep.SWEEP_INTERVAL_MILLIS, millis - passed), TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
        }
    }

    @Test
    void silentClientExpiresAfterOneAndAHalfKeepAlivesAndNotBefore_MQTT_3_1_2_24() {
        FakeClient silent = new FakeClient();
        sweep.watch(silent, KEEP_ALIVE_SECONDS);

        pass(ALLOWED_SILENCE_MILLIS);
        assertThat(silent.expired).as("silent for exactly 1.5 x keep-alive: not yet").isZero();

        pass(KeepAliveSweep.SWEEP_INTERVAL_MILLIS);
        assertThat(silent.expired).isEqualTo(1);
        assertThat(sweep.watched()).isZero();
    }

    @Test
    void clientSendingWithinEachKeepAliveNeverExpires_MQTT_3_1_2_23() {
        FakeClient active = new FakeClient();
        int slot = sweep.watch(active, KEEP_ALIVE_SECONDS);

        for (int i = 0; i < 10; i++) {
            pass(TimeUnit.SECONDS.toMillis(KEEP_ALIVE_SECONDS));
            sweep.heard(slot);
        }

        assertThat(active.expired).isZero();
        assertThat(sweep.watched()).isEqualTo(1);
    }

    @Test
    void packetNoticedLateNeverMakesTheCloseEarly() {
        FakeClient client = new FakeClient();
        int slot = sweep.watch(client, KEEP_ALIVE_SECONDS);
        pass(400);
        sweep.heard(slot);   // arrives 0.4 s in, noticed by the sweep at 1 s

        pass(ALLOWED_SILENCE_MILLIS);   // 15.4 s in: 15 s after the packet, 14.4 s after the sweep
        assertThat(client.expired).isZero();

        pass(2 * KeepAliveSweep.SWEEP_INTERVAL_MILLIS);
        assertThat(client.expired).as("at most two sweeps late").isEqualTo(1);
    }

    @Test
    void clientWhoseReadingTheBrokerSuspendedIsNotExpired() {
        FakeClient paused = new FakeClient();
        paused.readingSuspended = true;
        sweep.watch(paused, KEEP_ALIVE_SECONDS);

        pass(3 * ALLOWED_SILENCE_MILLIS);
        assertThat(paused.expired).isZero();

        // Reading again: its silence counts from the last sweep that saw reading suspended.
        paused.readingSuspended = false;
        pass(ALLOWED_SILENCE_MILLIS - KeepAliveSweep.SWEEP_INTERVAL_MILLIS);
        assertThat(paused.expired).isZero();
        pass(2 * KeepAliveSweep.SWEEP_INTERVAL_MILLIS);
        assertThat(paused.expired).isEqualTo(1);
    }

    @Test
    void unwatchedClientIsNeverExpiredAndItsSlotIsReused() {
        FakeClient gone = new FakeClient();
        int slot = sweep.watch(gone, KEEP_ALIVE_SECONDS);
        sweep.unwatch(slot, gone);

        FakeClient next = new FakeClient();
        assertThat(sweep.watch(next, KEEP_ALIVE_SECONDS)).isEqualTo(slot);
        // The first client's late unwatch must not release the slot its successor now holds.
        sweep.unwatch(slot, gone);
        pass(ALLOWED_SILENCE_MILLIS + KeepAliveSweep.SWEEP_INTERVAL_MILLIS);

        assertThat(gone.expired).isZero();
        assertThat(next.expired).isEqualTo(1);
    }

    @Test
    void eachClientHasItsOwnKeepAlive() {
        FakeClient shortKeepAlive = new FakeClient();
        FakeClient longKeepAlive = new FakeClient();
        sweep.watch(shortKeepAlive, 1);
        sweep.watch(longKeepAlive, KEEP_ALIVE_SECONDS);

        pass(3 * KeepAliveSweep.SWEEP_INTERVAL_MILLIS);

        assertThat(shortKeepAlive.expired).isEqualTo(1);
        assertThat(longKeepAlive.expired).isZero();
    }

    @Test
    void manyClientsGrowTheSweepAndOnlyTheSilentOnesExpire() {
        int clients = 1000;
        FakeClient[] watched = new FakeClient[clients];
        int[] slots = new int[clients];
        for (int i = 0; i < clients; i++) {
            watched[i] = new FakeClient();
            slots[i] = sweep.watch(watched[i], KEEP_ALIVE_SECONDS);
        }

        for (int second = 0; second < 2 * KEEP_ALIVE_SECONDS; second++) {
            pass(TimeUnit.SECONDS.toMillis(1));
            for (int i = 0; i < clients; i += 2) {
                sweep.heard(slots[i]);
            }
        }

        for (int i = 0; i < clients; i++) {
            assertThat(watched[i].expired).as("client %d", i).isEqualTo(i % 2 == 0 ? 0 : 1);
        }
        assertThat(sweep.watched()).isEqualTo(clients / 2);
    }

    private static final class FakeClient implements KeepAliveSweep.Client {
        private boolean readingSuspended;
        private int expired;

        @Override
        public boolean readingSuspended() {
            return readingSuspended;
        }

        @Override
        public void keepAliveExpired() {
            expired++;
        }
    }
}
