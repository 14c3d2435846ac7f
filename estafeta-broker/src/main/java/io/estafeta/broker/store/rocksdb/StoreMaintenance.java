package io.estafeta.broker.store.rocksdb;

import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Work off the writer thread: the periodic WAL sync of {@code periodic} mode, and compaction of the key
 * ranges of removed sessions, so that their space is given back rather than waiting for RocksDB to reach
 * those files on its own.
 */
final class StoreMaintenance implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreMaintenance.class);

    private final RocksDB db;
    private final Columns columns;
    private final ScheduledExecutorService executor;
    private final Queue<Range> pendingCompactions = new ConcurrentLinkedQueue<>();

    StoreMaintenance(RocksDB db, Columns columns) {
        this.db = db;
        this.columns = columns;
        this.executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "estafeta-store-maintenance");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Syncs the write-ahead log every {@code interval} ({@code periodic} mode). */
    void syncPeriodically(Duration interval, Runnable afterSync) {
        long millis = interval.toMillis();
        executor.scheduleWithFixedDelay(() -> {
            try {
                db.flushWal(true);
                afterSync.run();
            } catch (RocksDBException e) {
                LOG.warn("periodic sync of the store failed: {}", e.getMessage());
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Compacts the range soon; ranges requested together are compacted as one span per column. */
    void compactLater(Column column, byte[] begin, byte[] end) {
        pendingCompactions.add(new Range(column, begin, end));
        try {
            executor.execute(this::compactPending);
        } catch (RejectedExecutionException closing) {
            LOG.debug("store closing: compaction of {} left to RocksDB", column.familyName());
        }
    }

    /** Waits until the work requested so far is done (for tests, and before a checkpoint). */
    void awaitIdle() {
        try {
            executor.submit(() -> { }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private void compactPending() {
        Map<Column, Range> spans = new EnumMap<>(Column.class);
        Range next;
        while ((next = pendingCompactions.poll()) != null) {
            spans.merge(next.column(), next, Range::span);
        }
        for (Range span : spans.values()) {
            try {
                db.compactRange(columns.handle(span.column()), span.begin(), span.end());
            } catch (RocksDBException e) {
                LOG.warn("compaction of {} in the store failed: {}", span.column().familyName(), e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        boolean interrupted = false;
        while (true) {
            try {
                if (executor.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
                LOG.info("waiting for a compaction of the store to finish before closing it");
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private record Range(Column column, byte[] begin, byte[] end) {
        Range span(Range other) {
            byte[] lower = Arrays.compareUnsigned(begin, other.begin) <= 0 ? begin : other.begin;
            byte[] upper = Arrays.compareUnsigned(end, other.end) >= 0 ? end : other.end;
            return new Range(column, lower, upper);
        }
    }
}
