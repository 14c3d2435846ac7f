package io.estafeta.broker.store.rocksdb;

import io.estafeta.broker.store.StoreFullException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The free space of the store's file system, checked by the writer before each batch (one statvfs call).
 * Below the reserve, writes that add data are refused before they reach RocksDB, because RocksDB treats a
 * full disk during a write-ahead log write as an error that lasts until the database is reopened.
 */
final class DiskSpace {

    private static final Logger LOG = LoggerFactory.getLogger(DiskSpace.class);
    private static final long BYTES_PER_MIB = 1024 * 1024;

    private final Path store;
    private final FileStore fileStore;
    private final long minFreeBytes;
    private boolean low;

    DiskSpace(Path store, long minFreeBytes) throws IOException {
        this.store = store;
        this.fileStore = Files.getFileStore(store);
        this.minFreeBytes = minFreeBytes;
    }

    /** The exception to refuse growing writes with while space is low, or null. Writer thread. */
    StoreFullException lowOnSpace() {
        if (minFreeBytes == 0) {
            return null;
        }
        long usable;
        try {
            usable = fileStore.getUsableSpace();
        } catch (IOException e) {
            LOG.debug("cannot read the free space of {}: {}", store, e.getMessage());
            return null;
        }
        boolean nowLow = usable < minFreeBytes;
        if (nowLow != low) {
            low = nowLow;
            if (nowLow) {
                LOG.error("the disk of the store in {} is nearly full ({} MiB free, {} MiB reserved): new messages"
                        + " are refused until space is freed", store, usable / BYTES_PER_MIB, minFreeBytes / BYTES_PER_MIB);
            } else {
                LOG.info("the disk of the store in {} has room again ({} MiB free): new messages are accepted",
                        store, usable / BYTES_PER_MIB);
            }
        }
        if (!nowLow) {
            return null;
        }
        return new StoreFullException("the disk of the store in " + store + " is full: " + usable / BYTES_PER_MIB
                + " MiB free, below the reserve of " + minFreeBytes / BYTES_PER_MIB + " MiB", null);
    }
}
