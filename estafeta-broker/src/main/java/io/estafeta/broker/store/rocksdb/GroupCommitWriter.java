package io.estafeta.broker.store.rocksdb;

import io.estafeta.broker.store.StoreException;
import io.estafeta.broker.store.StoreFullException;
import io.estafeta.broker.store.StoreStatistics;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one thread that writes to the store (group commit). Callers on any thread queue writes and get a
 * future; the writer takes every write that is waiting (up to a maximum), applies them to one
 * {@link WriteBatch}, writes it with one sync, and then completes their futures in order. While it syncs,
 * the next writes queue up and go together in the next batch: the busier the broker, the more writes
 * share one sync, and nothing is acknowledged before it is on disk.
 *
 * <p>A batch that fails (disk full, I/O error) fails all its futures; the writer's bookkeeping is rolled
 * back to what is on disk and later writes are tried again, so the store recovers when space is freed.
 */
final class GroupCommitWriter {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

    /** Told after each batch; tests use it to count and to hold the writer. */
    interface BatchListener {
        void batchWritten(int writes, boolean succeeded);
    }

    private static final PendingWrite STOP = new PendingWrite(batch -> { }, false, new CompletableFuture<>());

    private final RocksDB db;
    private final WriteOptions writeOptions;
    private final boolean sync;
    private final Columns columns;
    private final WriterState state;
    private final Path store;
    private final long lingerNanos;
    private final int maxBatchWrites;
    private final LinkedBlockingQueue<PendingWrite> queue = new LinkedBlockingQueue<>();
    /** The writes this thread requested since {@link #beginGroup}, to be queued as one. */
    private final ThreadLocal<List<PendingWrite>> openGroup = new ThreadLocal<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile BatchListener listener = (writes, succeeded) -> { };

    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong syncs = new AtomicLong();
    private final AtomicLong failedBatches = new AtomicLong();
    private final AtomicLong refusedForSpace = new AtomicLong();
    /** Only the writer thread adds to it; others read it for statistics. */
    private final AtomicLong batchCommitNanos = new AtomicLong();
    private final DiskSpace diskSpace;

    GroupCommitWriter(RocksDB db, WriteOptions writeOptions, Columns columns, WriterState state, Path store,
                      Duration linger, int maxBatchWrites, DiskSpace diskSpace) {
        this.diskSpace = diskSpace;
        this.db = db;
        this.writeOptions = writeOptions;
        this.sync = writeOptions.sync();
        this.columns = columns;
        this.state = state;
        this.store = store;
        this.lingerNanos = linger.toNanos();
        this.maxBatchWrites = maxBatchWrites;
        this.thread = new Thread(this::run, "estafeta-store-writer");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void setListener(BatchListener newListener) {
        listener = newListener;
    }

    /**
     * Queues a write. Any thread; never blocks.
     *
     * @param grows whether the write adds data (refused while the disk is nearly full) rather than
     *              removing or updating it (always let through: it is how space comes back)
     */
    CompletableFuture<Void> submit(Mutation mutation, boolean grows) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(closedException());
            return done;
        }
        writes.incrementAndGet();
        PendingWrite pending = new PendingWrite(mutation, grows, done);
        List<PendingWrite> group = openGroup.get();
        if (group != null) {
            group.add(pending);
            return done;
        }
        enqueue(pending);
        return done;
    }

    /**
     * Until {@link #endGroup}, the writes this thread submits are held back, then queued as one: they go
     * into the same batch, so after a crash either all of them are in the store or none is.
     */
    void beginGroup() {
        if (openGroup.get() != null) {
            throw new IllegalStateException("write groups do not nest");
        }
        openGroup.set(new ArrayList<>());
    }

    /** Queues the writes held back since {@link #beginGroup}, as one; their futures complete together. */
    void endGroup() {
        List<PendingWrite> group = openGroup.get();
        openGroup.remove();
        if (group == null || group.isEmpty()) {
            return;
        }
        if (group.size() == 1) {
            enqueue(group.getFirst());
            return;
        }
        boolean grows = false;
        for (PendingWrite write : group) {
            grows |= write.grows();
        }
        CompletableFuture<Void> all = new CompletableFuture<>();
        all.whenComplete((done, failure) -> {
            for (PendingWrite write : group) {
                if (failure == null) {
                    write.done().complete(null);
                } else {
                    write.done().completeExceptionally(failure);
                }
            }
        });
        enqueue(new PendingWrite(batch -> {
            for (PendingWrite write : group) {
                write.mutation().applyTo(batch);
            }
        }, grows, all));
    }

    private void enqueue(PendingWrite pending) {
        CompletableFuture<Void> done = pending.done();
        if (closed) {
            done.completeExceptionally(closedException());
            return;
        }
        queue.add(pending);
        // close() may have run between the check and the add: then nobody takes this write.
        if (closed && queue.remove(pending)) {
            done.completeExceptionally(closedException());
        }
    }

    StoreStatistics statistics() {
        return new StoreStatistics(writes.get(), batches.get(), syncs.get(), failedBatches.get(),
                refusedForSpace.get(), batchCommitNanos.get());
    }

    /** Writes what is queued, then stops the thread. Writes submitted afterwards fail. */
    void close() {
        closed = true;
        queue.add(STOP);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        PendingWrite left;
        while ((left = queue.poll()) != null) {
            left.done.completeExceptionally(closedException());
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<PendingWrite> batch = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            PendingWrite first = take();
            if (first == STOP) {
                break;
            }
            batch.add(first);
            stop = gather(batch);
            commit(batch);
            batch.clear();
        }
    }

    /** Adds what is waiting (after the linger, if any) to the batch; true if it met the stop marker. */
    private boolean gather(List<PendingWrite> batch) {
        long deadline = System.nanoTime() + lingerNanos;
        while (batch.size() < maxBatchWrites) {
            PendingWrite next = queue.poll();
            if (next == null && lingerNanos > 0) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    next = poll(left);
                }
            }
            if (next == null) {
                return false;
            }
            if (next == STOP) {
                return true;
            }
            batch.add(next);
        }
        return false;
    }

    private void commit(List<PendingWrite> batch) {
        StoreFullException lowOnSpace = diskSpace.lowOnSpace();
        if (lowOnSpace != null) {
            batch.removeIf(pending -> {
                if (pending.grows) {
                    refusedForSpace.incrementAndGet();
                    pending.done.completeExceptionally(lowOnSpace);
                }
                return pending.grows;
            });
        }
        try (WriteBatch writeBatch = new WriteBatch()) {
            BatchContext context = new BatchContext(writeBatch, columns, state);
            try {
                for (PendingWrite pending : batch) {
                    pending.mutation.applyTo(context);
                }
                // One clock pair per batch, around the write and its sync: the commit latency for /metrics.
                long writeStarted = System.nanoTime();
                db.write(writeOptions, writeBatch);
                batchCommitNanos.addAndGet(System.nanoTime() - writeStarted);
            } catch (RocksDBException | RuntimeException e) {
                context.rollBack();
                failedBatches.incrementAndGet();
                StoreException failure = RocksErrors.writeFailed(store, e);
                if (failure instanceof StoreFullException) {
                    // RocksDB keeps a failed write-ahead log write as a lasting error: this store
                    // refuses writes until the broker is restarted. The free-space reserve is there
                    // so that this does not happen.
                    LOG.error("{} ({} writes refused); the store accepts no more writes until the broker is"
                            + " restarted with free space", failure.getMessage(), batch.size());
                } else {
                    LOG.warn("{} ({} writes refused)", failure.getMessage(), batch.size());
                }
                for (PendingWrite pending : batch) {
                    pending.done.completeExceptionally(failure);
                }
                listener.batchWritten(batch.size(), false);
                return;
            }
            batches.incrementAndGet();
            if (sync) {
                syncs.incrementAndGet();
            }
            context.committed();
            for (PendingWrite pending : batch) {
                pending.done.complete(null);
            }
            listener.batchWritten(batch.size(), true);
        }
    }

    /** Counts a sync made outside a batch (periodic mode). */
    void countSync() {
        syncs.incrementAndGet();
    }

    private PendingWrite take() {
        while (true) {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                // Only close() ends the writer: queued writes must not be dropped.
                LOG.debug("store writer interrupted; carrying on until closed");
            }
        }
    }

    private PendingWrite poll(long nanos) {
        try {
            return queue.poll(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            return null;
        }
    }

    private StoreException closedException() {
        return new StoreException("the store in " + store + " is closed");
    }

    private record PendingWrite(Mutation mutation, boolean grows, CompletableFuture<Void> done) {
    }
}
