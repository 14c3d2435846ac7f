package io.estafeta.broker.store.rocksdb;

import io.estafeta.broker.store.StoreException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Checks and prepares the data directory. The database lives in its sub-directory {@code store}, so that
 * the data directory can hold other things later.
 */
final class DataDirectory {

    static final String STORE = "store";
    /** The file RocksDB writes first and without which it would silently create an empty database. */
    static final String CURRENT = "CURRENT";
    /** Files RocksDB makes before {@link #CURRENT}: a directory with only these never held data. */
    private static final String LOCK = "LOCK";
    private static final String INFO_LOG_PREFIX = "LOG";

    private DataDirectory() {
    }

    /** The store directory, created with the data directory if missing. */
    static Path prepare(Path dataDirectory) throws StoreException {
        Path data = dataDirectory.toAbsolutePath().normalize();
        if (Files.exists(data) && !Files.isDirectory(data)) {
            throw new StoreException("the data directory " + data + " is not a directory");
        }
        createDirectories(data, "the data directory");
        if (!Files.isReadable(data) || !Files.isWritable(data) || !Files.isExecutable(data)) {
            throw new StoreException("the data directory " + data + " cannot be used: permission denied (it must be"
                    + " readable and writable by the user running the broker)");
        }
        Path store = data.resolve(STORE);
        if (Files.exists(store) && !Files.isDirectory(store)) {
            throw new StoreException("the store " + store + " is not a directory");
        }
        createDirectories(store, "the store directory");
        if (!Files.isReadable(store) || !Files.isWritable(store) || !Files.isExecutable(store)) {
            throw new StoreException("the store directory " + store + " cannot be used: permission denied");
        }
        return store;
    }

    /**
     * Whether the store directory holds a database. One that holds files but no {@code CURRENT} is
     * damaged: opening it as new would start empty and hide the loss, so that is an error.
     */
    static boolean holdsDatabase(Path store) throws StoreException {
        if (Files.exists(store.resolve(CURRENT))) {
            return true;
        }
        try (Stream<Path> files = Files.list(store)) {
            boolean leftovers = files.map(p -> p.getFileName().toString())
                    .anyMatch(name -> !name.equals(LOCK) && !name.startsWith(INFO_LOG_PREFIX));
            if (leftovers) {
                throw RocksErrors.corrupt(store, "it holds files but no " + CURRENT + " file", null);
            }
            return false;
        } catch (IOException e) {
            throw new StoreException("cannot read the store directory " + store + ": " + describe(e), e);
        }
    }

    private static void createDirectories(Path directory, String what) throws StoreException {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new StoreException("cannot create " + what + " " + directory + ": " + describe(e), e);
        }
    }

    static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException already) {
            return already.getFile() + " exists and is not a directory";
        }
        if (e instanceof FileSystemException fileSystem && fileSystem.getReason() != null) {
            return fileSystem.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
