package io.estafeta.broker.store.rocksdb;

import io.estafeta.broker.store.PersistenceOptions;
import io.estafeta.broker.store.StoredDelivery;
import io.estafeta.broker.store.StoredState;
import io.estafeta.broker.testsupport.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Nothing acknowledged is lost on kill -9: a child JVM appends messages and prints each one when its
 * write is durable (the moment the broker would acknowledge it); it is killed with SIGKILL in the middle
 * of writing, and everything it printed must be in the store when it is opened again.
 */
class KillNineTest {

    private static final int MESSAGES = 50_000;
    private static final int ACKNOWLEDGED_BEFORE_KILL = 2_000;

    @TempDir
    Path dataDirectory;
    @TempDir
    Path work;

    @Test
    void everyAcknowledgedAppendSurvivesSigkill() throws Exception {
        Map<Long, String> acknowledged = new HashMap<>();
        try (ChildJvm child = ChildJvm.start(work, StoreChildProcess.class, "append", dataDirectory.toString(), Integer.toString(MESSAGES))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                assertThat(child.process().isAlive()).as("child alive; stderr: %s", child.errors()).isTrue();
                return child.lines(StoreChildProcess.OPEN, StoreChildProcess.ACK).size() > ACKNOWLEDGED_BEFORE_KILL;
            });
            child.killHard();
            for (String line : child.lines(StoreChildProcess.OPEN, StoreChildProcess.ACK)) {
                String[] words = line.split(" ");
                if (words[0].equals(StoreChildProcess.ACK) && words.length == 3) {
                    acknowledged.put(Long.parseLong(words[1]), words[2]);
                }
            }
        }

        StoredState state;
        try (RocksPersistence reopened = RocksPersistence.open(PersistenceOptions.of(dataDirectory),
                InstantSource.system())) {
            state = reopened.takeStoredState();
        }

        Map<Long, String> stored = new HashMap<>();
        for (StoredDelivery delivery : state.sessions().getFirst().deliveries()) {
            stored.put(delivery.handle().deliveryId(), delivery.message().payloadAsString());
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_KILL);
        assertThat(stored).containsAllEntriesOf(acknowledged);
        // The kill came in the middle of writing, not after a clean finish.
        assertThat(stored.size()).isLessThan(MESSAGES);
    }
}
