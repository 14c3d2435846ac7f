package io.estafeta.broker.store.rocksdb;

import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.store.Appended;
import io.estafeta.broker.store.PersistenceOptions;
import io.estafeta.broker.store.StoreException;
import io.estafeta.broker.store.StoredSession;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM for the tests: {@code hold DIR} opens the store, prints {@code OPEN} and keeps it open until
 * its standard input closes; {@code append DIR COUNT} appends messages for session "victim" from a few
 * threads and prints {@code ACK id payload} when each is durable, until it is killed.
 */
public final class StoreChildProcess {

    static final String OPEN = "OPEN";
    static final String ACK = "ACK";
    static final String CLIENT = "victim";
    private static final int APPENDING_THREADS = 4;

    private StoreChildProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDirectory = Path.of(args[1]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        switch (args[0]) {
            case "hold" -> hold(dataDirectory, out);
            case "append" -> append(dataDirectory, Integer.parseInt(args[2]), out);
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void hold(Path dataDirectory, PrintStream out) throws StoreException, IOException {
        try (RocksPersistence store = RocksPersistence.open(PersistenceOptions.of(dataDirectory),
                InstantSource.system())) {
            out.println(OPEN);
            while (System.in.read() >= 0) {
                // keep the store open until the test closes our standard input
            }
        }
    }

    private static void append(Path dataDirectory, int count, PrintStream out) throws Exception {
        RocksPersistence store = RocksPersistence.open(PersistenceOptions.of(dataDirectory), InstantSource.system());
        store.sessions().putSession(new StoredSession(CLIENT, StoredSession.NEVER_EXPIRES, StoredSession.ONLINE,
                null)).get(1, TimeUnit.MINUTES);
        out.println(OPEN);
        Thread[] threads = new Thread[APPENDING_THREADS];
        for (int t = 0; t < threads.length; t++) {
            int first = t;
            threads[t] = new Thread(() -> {
                for (int i = first; i < count; i += APPENDING_THREADS) {
                    String payload = "message-" + i;
                    ApplicationMessage message = new ApplicationMessage("kill/" + i,
                            payload.getBytes(StandardCharsets.UTF_8), 1, false, "child");
                    Appended appended = store.messages().append(CLIENT, message, 1, new int[0], null, 0);
                    // Printed from the writer thread as each write becomes durable: the broker's PUBACK moment.
                    appended.durable().thenRun(() -> out.println(ACK + " " + appended.delivery().deliveryId() + " "
                            + payload));
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        Thread.currentThread().join(); // wait to be killed
    }
}
