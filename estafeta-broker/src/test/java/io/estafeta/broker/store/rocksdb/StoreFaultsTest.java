package io.estafeta.broker.store.rocksdb;

import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.store.PersistenceOptions;
import io.estafeta.broker.store.StoreException;
import io.estafeta.broker.store.StoredSession;
import io.estafeta.broker.testsupport.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** A data directory the store cannot use is an error naming the path and the cause, never an empty start. */
class StoreFaultsTest {

    private static final int MESSAGES = 300;

    @TempDir
    Path temp;

    private static RocksPersistence open(Path dataDirectory) throws StoreException {
        return RocksPersistence.open(PersistenceOptions.of(dataDirectory), InstantSource.system());
    }

    private static StoreException openFails(Path dataDirectory) {
        return catchThrowableOfType(StoreException.class, () -> open(dataDirectory).close());
    }

    /** A store with a session and some queued messages, closed (so its data is in table files). */
    private Path storeWithData() throws Exception {
        Path data = temp.resolve("data");
        try (RocksPersistence store = open(data)) {
            store.takeStoredState();
            store.sessions().putSession(new StoredSession("c", StoredSession.NEVER_EXPIRES, 1, null));
            for (int i = 0; i < MESSAGES; i++) {
                ApplicationMessage message = new ApplicationMessage("t/" + i,
                        ("payload number " + i).repeat(20).getBytes(StandardCharsets.UTF_8), 1, false, "p");
                store.messages().append("c", message, 1, new int[0], null, 0);
            }
            store.sessions().putSession(new StoredSession("d", StoredSession.NEVER_EXPIRES, 1, null))
                    .get(10, TimeUnit.SECONDS);
            flush(store);
        }
        return data;
    }

    /** Moves everything from the write-ahead log into table files. */
    static void flush(RocksPersistence store) throws RocksDBException {
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        for (Column column : Column.values()) {
            handles.add(store.columns().handle(column));
        }
        try (FlushOptions wait = new FlushOptions().setWaitForFlush(true)) {
            store.database().flush(wait, handles);
        }
    }

    private static List<Path> files(Path store, String suffixOrPrefix) throws IOException {
        try (Stream<Path> files = Files.list(store)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffixOrPrefix)
                    || f.getFileName().toString().startsWith(suffixOrPrefix)).sorted().toList();
        }
    }

    @Test
    void aDataDirectoryThatIsAFileIsRefused() throws IOException {
        Path file = Files.writeString(temp.resolve("data"), "not a directory");

        assertThat(openFails(file)).hasMessage("the data directory " + file + " is not a directory");
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedIsRefusedWithTheCause() throws IOException {
        Path file = Files.writeString(temp.resolve("file"), "in the way");
        Path data = file.resolve("data");

        assertThat(openFails(data)).hasMessageStartingWith("cannot create the data directory " + data + ": ")
                .hasMessageContaining(file.toString());
    }

    @Test
    void aStoreOpenInThisProcessIsRefusedAsLocked() throws Exception {
        Path data = temp.resolve("data");
        try (RocksPersistence first = open(data)) {
            StoreException second = openFails(data);

            assertThat(second).hasMessageStartingWith("the store in " + first.directory()
                    + " is in use by another Estafeta broker (or another process): cannot lock "
                    + first.directory().resolve("LOCK"));
        }
    }

    @Test
    void aStoreOpenInAnotherProcessIsRefusedAsLocked() throws Exception {
        Path data = temp.resolve("data");
        try (ChildJvm child = ChildJvm.start(temp, StoreChildProcess.class, "hold", data.toString())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                assertThat(child.process().isAlive()).as("child alive; stderr: %s", child.errors()).isTrue();
                return child.lines(StoreChildProcess.OPEN, StoreChildProcess.ACK).contains(StoreChildProcess.OPEN);
            });

            assertThat(openFails(data)).hasMessageStartingWith("the store in " + data.resolve("store")
                    + " is in use by another Estafeta broker (or another process): cannot lock "
                    + data.resolve("store/LOCK"));

            child.process().getOutputStream().close();
            assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        open(data).close(); // free again once the other process let go
    }

    @Test
    void aStoreDirectoryWithFilesButNoDatabaseIsCorruptNotNew() throws IOException {
        Path data = temp.resolve("data");
        Files.createDirectories(data.resolve("store"));
        Files.writeString(data.resolve("store/000007.log"), "left over");

        assertThat(openFails(data)).hasMessageStartingWith("the store in " + data.resolve("store")
                + " is corrupt (it holds files but no CURRENT file)");
    }

    @Test
    void aMissingCurrentFileIsCorruptionNotAnEmptyStart() throws Exception {
        Path data = storeWithData();
        Files.delete(data.resolve("store/CURRENT"));

        assertThat(openFails(data)).hasMessageStartingWith("the store in " + data.resolve("store") + " is corrupt");
    }

    @Test
    void aGarbledManifestIsCorruption() throws Exception {
        Path data = storeWithData();
        for (Path manifest : files(data.resolve("store"), "MANIFEST-")) {
            garble(manifest);
        }

        assertThat(openFails(data)).hasMessageStartingWith("the store in " + data.resolve("store") + " is corrupt");
    }

    @Test
    void aTruncatedTableFileIsCorruption() throws Exception {
        Path data = storeWithData();
        List<Path> tables = files(data.resolve("store"), ".sst");
        assertThat(tables).isNotEmpty();
        for (Path table : tables) {
            try (RandomAccessFile file = new RandomAccessFile(table.toFile(), "rw")) {
                file.setLength(file.length() / 2);
            }
        }

        assertThat(openFails(data)).hasMessageStartingWith("the store in " + data.resolve("store") + " is corrupt");
    }

    @Test
    void aGarbledTableFileIsFoundWhenTheStoreIsRead() throws Exception {
        Path data = storeWithData();
        List<Path> tables = files(data.resolve("store"), ".sst");
        assertThat(tables).isNotEmpty();
        for (Path table : tables) {
            garble(table);
        }

        assertThat(openFails(data)).hasMessageStartingWith("the store in " + data.resolve("store") + " is corrupt");
    }

    @Test
    void aStoreOfANewerFormatIsRefused() throws Exception {
        Path data = temp.resolve("data");
        try (RocksPersistence store = open(data); WriteOptions sync = new WriteOptions().setSync(true)) {
            store.database().put(store.columns().handle(Column.META), sync, RocksPersistence.FORMAT_KEY,
                    new RecordWriter().writeVarInt(RocksPersistence.FORMAT_VERSION + 1).toByteArray());
        }

        assertThat(openFails(data)).hasMessage("the store in " + data.resolve("store") + " has format version "
                + (RocksPersistence.FORMAT_VERSION + 1) + "; this Estafeta reads version "
                + RocksPersistence.FORMAT_VERSION + " (written by a newer version?)");
    }

    /** Overwrites a stretch in the middle of the file, keeping its size. */
    private static void garble(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long length = raf.length();
            long start = length / 4;
            byte[] junk = new byte[(int) Math.max(1, length / 2)];
            java.util.Arrays.fill(junk, (byte) 0x5A);
            raf.seek(start);
            raf.write(junk);
        }
    }
}
