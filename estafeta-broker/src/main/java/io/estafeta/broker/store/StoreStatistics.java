package io.estafeta.broker.store;

/**
 * Counters of a store since it was opened.
 *
 * @param writes        writes requested (each call of a store method that changes something)
 * @param batches       batches written: a batch holds every write that was waiting when the writer took it
 * @param syncs         batches written with a sync to disk (in {@code sync} mode, every batch)
 * @param failedBatches batches whose write failed (their futures failed)
 * @param refusedForSpace writes that add data refused because free disk space was below the reserve
 * @param batchCommitNanos time spent committing the {@code batches} written (the write, with its sync in
 *                        {@code sync} mode), in nanoseconds: divided by {@code batches}, the mean commit latency
 */
public record StoreStatistics(long writes, long batches, long syncs, long failedBatches, long refusedForSpace,
                              long batchCommitNanos) {

    public static final StoreStatistics NONE = new StoreStatistics(0, 0, 0, 0, 0, 0);
}
