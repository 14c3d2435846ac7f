package io.estafeta.broker.store;

import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.config.PersistenceMode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the RocksDB store is run.
 *
 * @param dataDirectory              the data directory; the database is its sub-directory {@code store}
 * @param mode                       sync every batch, or every {@code syncInterval}
 * @param syncInterval               for {@link PersistenceMode#PERIODIC}
 * @param groupCommitLinger          how long the writer waits for more writes after the first one before it
 *                                   writes a batch; zero (the default) takes what is waiting and goes, which
 *                                   already batches everything that arrives during a sync
 * @param maxBatchWrites             the most writes in one batch
 * @param persistentClientExpiration applied to stored sessions when the store is opened; null for never
 * @param minFreeDiskBytes           below this much free space on the store's file system, writes that add
 *                                   data are refused ({@link StoreFullException}) while removals go on; 0 for
 *                                   no reserve
 */
public record PersistenceOptions(Path dataDirectory, PersistenceMode mode, Duration syncInterval,
                                 Duration groupCommitLinger, int maxBatchWrites, Duration persistentClientExpiration,
                                 long minFreeDiskBytes) {

    public static final int DEFAULT_MAX_BATCH_WRITES = 4096;
    /** The default reserve ({@link BrokerConfig#DEFAULT_PERSISTENCE_MIN_FREE_BYTES}). */
    public static final long DEFAULT_MIN_FREE_DISK_BYTES = BrokerConfig.DEFAULT_PERSISTENCE_MIN_FREE_BYTES;

    public PersistenceOptions {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(syncInterval, "syncInterval");
        Objects.requireNonNull(groupCommitLinger, "groupCommitLinger");
        if (syncInterval.isNegative() || syncInterval.isZero()) {
            throw new IllegalArgumentException("syncInterval must be positive: " + syncInterval);
        }
        if (groupCommitLinger.isNegative()) {
            throw new IllegalArgumentException("groupCommitLinger must not be negative: " + groupCommitLinger);
        }
        if (minFreeDiskBytes < 0) {
            throw new IllegalArgumentException("minFreeDiskBytes must not be negative: " + minFreeDiskBytes);
        }
        if (maxBatchWrites < 1) {
            throw new IllegalArgumentException("maxBatchWrites must be at least 1: " + maxBatchWrites);
        }
    }

    /** Sync mode with the defaults, in {@code dataDirectory}. */
    public static PersistenceOptions of(Path dataDirectory) {
        return new PersistenceOptions(dataDirectory, PersistenceMode.SYNC,
                BrokerConfig.DEFAULT_PERSISTENCE_SYNC_INTERVAL, Duration.ZERO, DEFAULT_MAX_BATCH_WRITES, null,
                DEFAULT_MIN_FREE_DISK_BYTES);
    }

    public static PersistenceOptions from(BrokerConfig config) {
        return new PersistenceOptions(config.dataDirectory(), config.persistenceMode(),
                config.persistenceSyncInterval(), Duration.ZERO, DEFAULT_MAX_BATCH_WRITES,
                config.persistentClientExpiration(), config.persistenceMinFreeBytes());
    }

    public PersistenceOptions withMode(PersistenceMode newMode, Duration newSyncInterval) {
        return new PersistenceOptions(dataDirectory, newMode, newSyncInterval, groupCommitLinger, maxBatchWrites,
                persistentClientExpiration, minFreeDiskBytes);
    }

    public PersistenceOptions withGroupCommit(Duration linger, int maxWrites) {
        return new PersistenceOptions(dataDirectory, mode, syncInterval, linger, maxWrites,
                persistentClientExpiration, minFreeDiskBytes);
    }

    public PersistenceOptions withPersistentClientExpiration(Duration expiration) {
        return new PersistenceOptions(dataDirectory, mode, syncInterval, groupCommitLinger, maxBatchWrites,
                expiration, minFreeDiskBytes);
    }

    public PersistenceOptions withMinFreeDiskBytes(long bytes) {
        return new PersistenceOptions(dataDirectory, mode, syncInterval, groupCommitLinger, maxBatchWrites,
                persistentClientExpiration, bytes);
    }
}
