package io.estafeta.broker.durability;

import io.estafeta.broker.Broker;
import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.routing.Subscription;
import io.estafeta.broker.store.PersistenceOptions;
import io.estafeta.broker.store.StoredSession;
import io.estafeta.broker.store.rocksdb.RocksPersistence;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A benchmark, not a test: how long the broker takes to start with a large store. Fills
 * {@code DATA_DIRECTORY} (if it has no store yet) with RETAINED retained messages and SESSIONS persistent
 * sessions of one subscription each, then starts the broker on it ROUNDS times and prints the time from
 * {@code Broker.start} to listening, and the heap in use after start-up.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Xmx4g -cp CLASSPATH \
 *     io.estafeta.broker.durability.StartupBenchmark DATA_DIRECTORY [RETAINED [SESSIONS [ROUNDS]]]
 * </pre>
 * docs/PERFORMANCE.md has the command with the class path and the figures.
 */
public final class StartupBenchmark {

    private static final int PAYLOAD_BYTES = 64;
    private static final int WAIT_EVERY = 50_000;

    private StartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDirectory = Path.of(args[0]);
        int retained = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int sessions = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        if (!Files.exists(dataDirectory.resolve("store"))) {
            long fillStart = System.nanoTime();
            fill(dataDirectory, retained, sessions);
            System.out.printf("filled %,d retained messages and %,d sessions in %.1f s%n", retained, sessions,
                    (System.nanoTime() - fillStart) / 1e9);
        }
        BrokerConfig config = BrokerConfig.builder().localOnlyPort(0).dataDirectory(dataDirectory).build();
        for (int round = 1; round <= rounds; round++) {
            System.gc();
            long start = System.nanoTime();
            try (Broker broker = Broker.start(config)) {
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                System.gc();
                long heapMib = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
                System.out.printf("round %d: started with %,d retained messages and %,d sessions in %,d ms;"
                                + " heap in use after GC %,d MiB%n", round, broker.retainedMessageCount(),
                        broker.sessionCount(), millis, heapMib);
            }
        }
    }

    private static void fill(Path dataDirectory, int retained, int sessions) throws Exception {
        byte[] payload = "x".repeat(PAYLOAD_BYTES).getBytes(StandardCharsets.UTF_8);
        try (RocksPersistence store = RocksPersistence.open(PersistenceOptions.of(dataDirectory),
                InstantSource.system())) {
            CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
            for (int i = 0; i < retained; i++) {
                String topic = "site/" + (i / 1000) + "/sensor/" + (i % 1000);
                last = store.retained().put(new ApplicationMessage(topic, payload, 1, true, "filler"));
                if (i % WAIT_EVERY == 0) {
                    last.get(1, TimeUnit.MINUTES); // keep the writer's queue bounded
                }
            }
            for (int i = 0; i < sessions; i++) {
                String clientId = "device-" + i;
                store.sessions().putSession(new StoredSession(clientId, StoredSession.NEVER_EXPIRES,
                        System.currentTimeMillis(), null));
                last = store.sessions().putSubscription(new Subscription(clientId, "commands/" + clientId + "/#",
                        1, false, false, Subscription.NO_SUBSCRIPTION_ID, null));
                if (i % WAIT_EVERY == 0) {
                    last.get(1, TimeUnit.MINUTES);
                }
            }
            last.get(10, TimeUnit.MINUTES);
        }
    }
}
