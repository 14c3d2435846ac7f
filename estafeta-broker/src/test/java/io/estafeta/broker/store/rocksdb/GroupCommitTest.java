package io.estafeta.broker.store.rocksdb;

import io.estafeta.broker.config.PersistenceMode;
import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.store.PersistenceOptions;
import io.estafeta.broker.store.StoreStatistics;
import io.estafeta.broker.store.StoredSession;
import io.estafeta.broker.store.StoredSessionState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class GroupCommitTest {

    private static final int THREADS = 4;
    private static final int WRITES_PER_THREAD = 250;

    @TempDir
    Path dataDirectory;

    private static ApplicationMessage message(int i) {
        return new ApplicationMessage("t/" + i, ("m" + i).getBytes(StandardCharsets.UTF_8), 1, false, "p");
    }

    /** Appends from several threads at once while the writer is held inside its first batch. */
    private static List<CompletableFuture<Void>> appendConcurrently(RocksPersistence store) throws Exception {
        List<CompletableFuture<Void>> writes = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            String clientId = "c" + t;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < WRITES_PER_THREAD; i++) {
                    writes.add(store.messages().append(clientId, message(i), 1, new int[0], null, 0).durable());
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return writes;
    }

    @Test
    void writesWaitingDuringASyncShareTheNextSync() throws Exception {
        try (RocksPersistence store = RocksPersistence.open(PersistenceOptions.of(dataDirectory),
                InstantSource.system())) {
            CountDownLatch writerHeld = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            store.setBatchListener((writes, succeeded) -> {
                if (writerHeld.getCount() > 0) {
                    writerHeld.countDown();
                    hold(release);
                }
            });
            CompletableFuture<Void> first = store.sessions().putSession(
                    new StoredSession("c0", StoredSession.NEVER_EXPIRES, 1, null));
            assertThat(writerHeld.await(10, TimeUnit.SECONDS)).isTrue();

            List<CompletableFuture<Void>> writes = appendConcurrently(store);
            release.countDown();
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            assertThat(first).isDone();
            StoreStatistics statistics = store.statistics();
            assertThat(statistics.writes()).isEqualTo(1 + THREADS * WRITES_PER_THREAD);
            // The first write alone, then all 1,000 that queued up meanwhile in one synced batch.
            assertThat(statistics.batches()).isEqualTo(2);
            assertThat(statistics.syncs()).isEqualTo(2);
        }
    }

    @Test
    void aBatchHoldsAtMostTheConfiguredNumberOfWrites() throws Exception {
        int maxBatch = 100;
        try (RocksPersistence store = RocksPersistence.open(PersistenceOptions.of(dataDirectory)
                .withGroupCommit(Duration.ZERO, maxBatch), InstantSource.system())) {
            List<Integer> batchSizes = new CopyOnWriteArrayList<>();
            CountDownLatch writerHeld = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            store.setBatchListener((writes, succeeded) -> {
                batchSizes.add(writes);
                if (writerHeld.getCount() > 0) {
                    writerHeld.countDown();
                    hold(release);
                }
            });
            store.sessions().putSession(new StoredSession("c0", StoredSession.NEVER_EXPIRES, 1, null));
            assertThat(writerHeld.await(10, TimeUnit.SECONDS)).isTrue();

            List<CompletableFuture<Void>> writes = appendConcurrently(store);
            release.countDown();
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            // The listener hears of a batch after its futures complete: wait for the last one's report.
            List<Integer> expected = List.of(1, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100);
            await().atMost(Duration.ofSeconds(10)).until(() -> batchSizes.size() >= expected.size());
            assertThat(batchSizes).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void futuresCompleteInTheOrderTheWritesWereRequested() throws Exception {
        try (RocksPersistence store = RocksPersistence.open(PersistenceOptions.of(dataDirectory)
                .withGroupCommit(Duration.ZERO, 7), InstantSource.system())) {
            List<Integer> completed = new CopyOnWriteArrayList<>();
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int index = i;
                writes.add(store.messages().append("c", message(i), 1, new int[0], null, 0).durable()
                        .thenRun(() -> completed.add(index)));
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            assertThat(completed).isSorted().hasSize(50);
        }
    }

    @Test
    void aLingerStillWritesEverything() throws Exception {
        try (RocksPersistence store = RocksPersistence.open(PersistenceOptions.of(dataDirectory)
                .withGroupCommit(Duration.ofMillis(2), PersistenceOptions.DEFAULT_MAX_BATCH_WRITES),
                InstantSource.system())) {
            List<CompletableFuture<Void>> writes = appendConcurrently(store);

            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertThat(store.statistics().batches()).isLessThanOrEqualTo(THREADS * WRITES_PER_THREAD);
        }
    }

    @Test
    void periodicModeWritesWithoutSyncingEachBatchAndSyncsOnATimer() throws Exception {
        try (RocksPersistence store = RocksPersistence.open(PersistenceOptions.of(dataDirectory)
                .withMode(PersistenceMode.PERIODIC, Duration.ofMillis(50)), InstantSource.system())) {
            store.setBatchListener((writes, succeeded) -> { });
            long syncsBefore = store.statistics().syncs();
            store.messages().append("c", message(1), 1, new int[0], null, 0).durable().get(10, TimeUnit.SECONDS);

            assertThat(store.statistics().batches()).isEqualTo(1);
            assertThat(store.describe()).contains("periodic");
            // Only the timer syncs: each sync it makes is counted.
            await().atMost(Duration.ofSeconds(10)).until(() -> store.statistics().syncs() > syncsBefore);
        }
    }

    private static void hold(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void writesRequestedInsideAtomicallyAreOneBatchAndCompleteTogether() throws Exception {
        // Batches of at most one write: only the group can put three writes into one batch.
        try (RocksPersistence store = RocksPersistence.open(PersistenceOptions.of(dataDirectory)
                .withGroupCommit(Duration.ZERO, 1), InstantSource.system())) {
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            store.atomically(() -> {
                writes.add(store.sessions().putSession(
                        new StoredSession("grouped", StoredSession.NEVER_EXPIRES, 1, null)));
                writes.add(store.messages().append("grouped", message(1), 2, new int[0], null, 0).durable());
                writes.add(store.messages().addInboundQos2("grouped", 7));
                assertThat(writes).as("held back until the group ends").noneMatch(CompletableFuture::isDone);
            });
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            assertThat(store.statistics().writes()).isEqualTo(3);
            assertThat(store.statistics().batches()).isEqualTo(1);
        }
        try (RocksPersistence reopened = RocksPersistence.open(PersistenceOptions.of(dataDirectory),
                InstantSource.system())) {
            StoredSessionState session = reopened.takeStoredState().sessions().getFirst();
            assertThat(session.deliveries()).hasSize(1);
            assertThat(session.inboundQos2()).containsExactly(7);
        }
    }
}
