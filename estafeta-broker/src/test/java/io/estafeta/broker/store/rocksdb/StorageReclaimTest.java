package io.estafeta.broker.store.rocksdb;

import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.store.DeliveryHandle;
import io.estafeta.broker.store.PersistenceOptions;
import io.estafeta.broker.store.StoredSession;
import io.estafeta.broker.store.StoredState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Messages are stored once for all their sessions, and the space of what is removed comes back. */
class StorageReclaimTest {

    private static final long START = 1_700_000_000_000L;
    private static final int SUBSCRIBERS = 1000;
    private static final int PAYLOAD_BYTES = 4096;
    private static final int QUEUED = 500;

    @TempDir
    Path dataDirectory;
    private final AtomicLong now = new AtomicLong(START);
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());

    private RocksPersistence open() throws Exception {
        RocksPersistence store = RocksPersistence.open(PersistenceOptions.of(dataDirectory), clock);
        return store;
    }

    /** Incompressible, so that table sizes show the payloads. */
    private final Random random = new Random(42);

    private byte[] randomPayload() {
        byte[] payload = new byte[PAYLOAD_BYTES];
        random.nextBytes(payload);
        return payload;
    }

    private static long count(RocksPersistence store, Column column) throws RocksDBException {
        long count = 0;
        try (RocksIterator iterator = store.database().newIterator(store.columns().handle(column))) {
            for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                count++;
            }
            iterator.status();
        }
        return count;
    }

    private static long tableBytes(RocksPersistence store) throws RocksDBException {
        long total = 0;
        for (Column column : Column.values()) {
            total += store.database().getLongProperty(store.columns().handle(column), "rocksdb.total-sst-files-size");
        }
        return total;
    }

    @Test
    void aMessageForAThousandSessionsIsStoredOnceAndDeletedWithItsLastReference() throws Exception {
        ApplicationMessage news = new ApplicationMessage("news", new byte[PAYLOAD_BYTES], 1, false, "p");
        try (RocksPersistence store = open()) {
            store.takeStoredState();
            List<DeliveryHandle> deliveries = new ArrayList<>();
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int i = 0; i < SUBSCRIBERS; i++) {
                store.sessions().putSession(new StoredSession("s" + i, StoredSession.NEVER_EXPIRES, START, null));
                var appended = store.messages().append("s" + i, news, 1, new int[0], null, 0);
                deliveries.add(appended.delivery());
                writes.add(appended.durable());
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            assertThat(count(store, Column.MESSAGES)).isEqualTo(1);
            assertThat(count(store, Column.DELIVERIES)).isEqualTo(SUBSCRIBERS);

            for (int i = 0; i < SUBSCRIBERS - 1; i++) {
                store.messages().remove(deliveries.get(i));
            }
            store.sessions().putSession(new StoredSession("x", 1, START, null)).get(10, TimeUnit.SECONDS);
            assertThat(count(store, Column.MESSAGES)).isEqualTo(1);

            store.messages().remove(deliveries.getLast()).get(10, TimeUnit.SECONDS);
            assertThat(count(store, Column.MESSAGES)).isZero();
            assertThat(count(store, Column.DELIVERIES)).isZero();
        }
    }

    @Test
    void anExpiredSessionsStorageIsReclaimedWhenTheStoreOpens() throws Exception {
        try (RocksPersistence store = open()) {
            store.takeStoredState();
            store.sessions().putSession(new StoredSession("gone", 60, START, null));
            store.sessions().putSession(new StoredSession("kept", StoredSession.NEVER_EXPIRES, START, null));
            CompletableFuture<Void> last = null;
            for (int i = 0; i < QUEUED; i++) {
                last = store.messages().append("gone", new ApplicationMessage("t", randomPayload(), 1, false, "p"), 1,
                        new int[0], null, 0).durable();
            }
            last.get(30, TimeUnit.SECONDS);
            StoreFaultsTest.flush(store);
            assertThat(tableBytes(store)).isGreaterThan((long) QUEUED * PAYLOAD_BYTES / 2);
        }
        now.set(START + 61_000);

        try (RocksPersistence store = open()) {
            StoredState state = store.takeStoredState();
            store.awaitMaintenance();

            assertThat(state.expiredSessions()).extracting(StoredSession::clientId).containsExactly("gone");
            assertThat(count(store, Column.DELIVERIES)).isZero();
            assertThat(count(store, Column.MESSAGES)).isZero();
            // Compaction gave the space back: far less than one payload per queued message remains.
            assertThat(tableBytes(store)).isLessThan((long) QUEUED * PAYLOAD_BYTES / 10);
        }
    }

    @Test
    void aRemovedSessionsRecordsAreCompactedAway() throws Exception {
        try (RocksPersistence store = open()) {
            store.takeStoredState();
            store.sessions().putSession(new StoredSession("c", StoredSession.NEVER_EXPIRES, START, null));
            CompletableFuture<Void> last = null;
            for (int i = 0; i < QUEUED; i++) {
                last = store.messages().append("c", new ApplicationMessage("t", randomPayload(), 1, false, "p"), 1,
                        new int[]{i}, null, 0).durable();
            }
            last.get(30, TimeUnit.SECONDS);
            StoreFaultsTest.flush(store);
            long before = store.database().getLongProperty(store.columns().handle(Column.DELIVERIES),
                    "rocksdb.total-sst-files-size");

            store.sessions().removeSession("c").get(10, TimeUnit.SECONDS);
            store.awaitMaintenance();

            assertThat(before).isPositive();
            assertThat(store.database().getLongProperty(store.columns().handle(Column.DELIVERIES),
                    "rocksdb.total-sst-files-size")).isLessThan(before);
            assertThat(count(store, Column.DELIVERIES)).isZero();
        }
    }

    @Test
    void aCheckpointIsAStoreThatOpensWithTheSameContent() throws Exception {
        Path backup = dataDirectory.resolveSibling(dataDirectory.getFileName() + "-backup");
        try (RocksPersistence store = open()) {
            store.takeStoredState();
            store.sessions().putSession(new StoredSession("c", StoredSession.NEVER_EXPIRES, START, "u"));
            store.messages().append("c", new ApplicationMessage("t", new byte[]{1}, 1, false, "p"), 1, new int[0],
                    null, 0).durable().get(10, TimeUnit.SECONDS);

            store.checkpoint(backup.resolve("store"));
        }
        try {
            try (RocksPersistence restored = RocksPersistence.open(PersistenceOptions.of(backup), clock)) {
                StoredState state = restored.takeStoredState();

                assertThat(state.sessions()).singleElement().satisfies(s -> {
                    assertThat(s.session().username()).isEqualTo("u");
                    assertThat(s.deliveries()).hasSize(1);
                });
            }
        } finally {
            deleteRecursively(backup);
        }
    }

    private static void deleteRecursively(Path directory) throws Exception {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
