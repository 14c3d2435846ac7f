package io.estafeta.broker.store.rocksdb;

import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

import java.util.ArrayList;
import java.util.List;

/**
 * The batch being built by the writer thread, with what to undo in the writer's bookkeeping if writing
 * it fails (so that what the writer believes stays what is on disk) and what to do once it is written.
 */
final class BatchContext {

    private final WriteBatch batch;
    private final Columns columns;
    private final WriterState state;
    private final List<Runnable> undo = new ArrayList<>();
    private final List<Runnable> afterCommit = new ArrayList<>();

    BatchContext(WriteBatch batch, Columns columns, WriterState state) {
        this.batch = batch;
        this.columns = columns;
        this.state = state;
    }

    WriterState state() {
        return state;
    }

    void put(Column column, byte[] key, byte[] value) throws RocksDBException {
        batch.put(columns.handle(column), key, value);
    }

    void delete(Column column, byte[] key) throws RocksDBException {
        batch.delete(columns.handle(column), key);
    }

    /** Deletes every key from {@code begin} (inclusive) to {@code end} (exclusive) with one range tombstone. */
    void deleteRange(Column column, byte[] begin, byte[] end) throws RocksDBException {
        batch.deleteRange(columns.handle(column), begin, end);
    }

    /** Registers how to undo a change of the writer's bookkeeping if the batch is not written. */
    void onFailure(Runnable action) {
        undo.add(action);
    }

    void afterCommit(Runnable action) {
        afterCommit.add(action);
    }

    void rollBack() {
        for (int i = undo.size() - 1; i >= 0; i--) {
            undo.get(i).run();
        }
        undo.clear();
    }

    void committed() {
        afterCommit.forEach(Runnable::run);
    }
}
