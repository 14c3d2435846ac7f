package io.estafeta.broker.store.rocksdb;

import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.store.Appended;
import io.estafeta.broker.store.PersistenceOptions;
import io.estafeta.broker.store.StoreFullException;
import io.estafeta.broker.store.StoredDelivery;
import io.estafeta.broker.store.StoredSession;
import io.estafeta.broker.store.StoredSessionState;
import io.estafeta.broker.store.StoredState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A full disk refuses writes with {@link StoreFullException} instead of acknowledging them, and the store
 * works again once space is freed. Needs a small file system to fill: a tmpfs mounted by the test, which
 * takes root (or CAP_SYS_ADMIN); elsewhere the test is skipped.
 */
class DiskFullTest {

    private static final String TMPFS_SIZE = "size=24m";
    private static final int FILLER_CHUNK = 64 * 1024;
    private static final int PAYLOAD_BYTES = 16 * 1024;
    private static final long RESERVE_BYTES = 4L * 1024 * 1024;

    @TempDir
    Path temp;
    private Path mountPoint;
    private boolean mounted;

    @BeforeEach
    void mountSmallFileSystem() throws Exception {
        mountPoint = Files.createDirectory(temp.resolve("small"));
        mounted = run("mount", "-t", "tmpfs", "-o", TMPFS_SIZE, "tmpfs", mountPoint.toString()) == 0;
        assumeThat(mounted).as("mounting a tmpfs (needs root)").isTrue();
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            run("umount", mountPoint.toString());
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return process.waitFor();
    }

    private static ApplicationMessage message(String name) {
        byte[] payload = (name + " ").repeat(PAYLOAD_BYTES / (name.length() + 1)).getBytes(StandardCharsets.UTF_8);
        return new ApplicationMessage("t/" + name, payload, 1, false, "p");
    }

    /** Writes a file until the file system is full; returns it. */
    private Path fill() throws IOException {
        Path filler = mountPoint.resolve("filler");
        byte[] chunk = new byte[FILLER_CHUNK];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException expected) {
            return filler;
        }
    }

    @Test
    void belowTheReserveNewDataIsRefusedAsStoreFullRemovalsGoOnAndSpaceFreedEndsIt() throws Exception {
        Path data = mountPoint.resolve("data");
        ApplicationMessage refused = message("refused");
        try (RocksPersistence store = RocksPersistence.open(PersistenceOptions.of(data)
                .withMinFreeDiskBytes(RESERVE_BYTES), InstantSource.system())) {
            store.takeStoredState();
            store.sessions().putSession(new StoredSession("a", StoredSession.NEVER_EXPIRES, 1, null));
            store.sessions().putSession(new StoredSession("b", StoredSession.NEVER_EXPIRES, 1, null));
            Appended acknowledged = store.messages().append("a", message("acknowledged"), 1, new int[0], null, 0);
            store.messages().append("a", message("kept"), 1, new int[0], null, 0).durable().get(10, TimeUnit.SECONDS);
            Path filler = fill();

            CompletableFuture<Void> whileFull = store.messages().append("a", refused, 1, new int[0], null, 0).durable();
            CompletableFuture<Void> removal = store.messages().remove(acknowledged.delivery());

            assertThat(whileFull).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                    .withCauseInstanceOf(StoreFullException.class)
                    .withMessageContaining("the disk of the store in " + store.directory() + " is full");
            assertThat(removal).succeedsWithin(Duration.ofSeconds(10));
            assertThat(store.statistics().refusedForSpace()).isEqualTo(1);

            Files.delete(filler);
            store.messages().append("b", refused, 1, new int[0], null, 0).durable().get(10, TimeUnit.SECONDS);
        }

        StoredState state = reopen(data);
        assertThat(deliveries(state, "a")).extracting(ApplicationMessage::topic).containsExactly("t/kept");
        // The message refused for "a" was stored whole for "b" once there was room.
        assertThat(deliveries(state, "b")).singleElement().usingRecursiveComparison().isEqualTo(refused);
    }

    @Test
    void withoutAReserveAFullDiskStillRefusesWritesAsStoreFull() throws Exception {
        Path data = mountPoint.resolve("data");
        try (RocksPersistence store = RocksPersistence.open(PersistenceOptions.of(data).withMinFreeDiskBytes(0),
                InstantSource.system())) {
            store.takeStoredState();
            store.sessions().putSession(new StoredSession("a", StoredSession.NEVER_EXPIRES, 1, null));
            store.messages().append("a", message("before"), 1, new int[0], null, 0).durable().get(10, TimeUnit.SECONDS);
            fill();

            CompletableFuture<Void> whileFull = appendUntilRefused(store, message("refused"));

            assertThat(whileFull).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                    .withCauseInstanceOf(StoreFullException.class)
                    .withMessageContaining("the disk is full").withMessageContaining(store.directory().toString());
        }
    }

    private static StoredState reopen(Path data) throws Exception {
        try (RocksPersistence reopened = RocksPersistence.open(PersistenceOptions.of(data).withMinFreeDiskBytes(0),
                InstantSource.system())) {
            return reopened.takeStoredState();
        }
    }

    private static List<ApplicationMessage> deliveries(StoredState state, String clientId) {
        StoredSessionState session = state.sessions().stream().filter(s -> s.clientId().equals(clientId))
                .findFirst().orElseThrow();
        return session.deliveries().stream().map(StoredDelivery::message).toList();
    }

    /** Appends the message to "a" until a write is refused (the WAL may take a few before it runs out). */
    private static CompletableFuture<Void> appendUntilRefused(RocksPersistence store, ApplicationMessage message)
            throws Exception {
        for (int attempt = 0; ; attempt++) {
            CompletableFuture<Void> write = store.messages().append("a", message, 1, new int[0], null, 0).durable();
            boolean failed = write.handle((ok, failure) -> failure != null).get(10, TimeUnit.SECONDS);
            if (failed) {
                return write;
            }
            assertThat(attempt).as("writes accepted on a full disk").isLessThan(1000);
        }
    }
}
