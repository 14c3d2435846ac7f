package io.estafeta.broker.store;

import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.store.rocksdb.RocksPersistence;

import java.nio.file.Path;
import java.time.InstantSource;

/**
 * The broker's durable state: sessions and their subscriptions, their queued and in-flight messages and
 * incoming QoS 2 packet identifiers, retained messages, and delayed wills.
 *
 * <p><b>Use.</b> {@link #open} when the broker starts; rebuild sessions, retained messages and wills from
 * {@link #takeStoredState()}; then record every change through the four stores; {@link #close()} last.
 *
 * <p><b>Writes.</b> Every write method may be called from any thread, including event loops: it never
 * blocks and never does I/O on the caller's thread. It returns a {@code CompletableFuture} that
 * completes when the write is durable (in {@code periodic} mode: handed to the operating system), or
 * fails with a {@link StoreException} ({@link StoreFullException} when the disk is full). Futures
 * complete on the store's writer thread: do only a little there, and hand anything else back to the
 * caller's own event loop. The writes of all threads are applied in one order, the order of the calls
 * (for one thread, its program order), and futures complete in that order: when one completes
 * successfully, every write requested before it is durable too, unless its own future failed.
 */
public interface Persistence extends AutoCloseable {

    /**
     * Opens the store the configuration asks for: RocksDB in {@code dataDirectory} (the default), or
     * memory only with {@code persistence false}.
     *
     * @throws StoreException if the data directory cannot be used: the message names the path and the cause
     */
    static Persistence open(BrokerConfig config) throws StoreException {
        if (!config.persistence()) {
            return new NoPersistence();
        }
        return RocksPersistence.open(PersistenceOptions.from(config), InstantSource.system());
    }

    /**
     * What the store held when it was opened (expired sessions already removed). Can be taken once, so
     * that the store does not keep it in memory afterwards.
     *
     * @throws IllegalStateException on a second call
     */
    StoredState takeStoredState();

    SessionStore sessions();

    MessageStore messages();

    RetainedStore retained();

    WillStore wills();

    /**
     * Stores the writes this thread requests while {@code writes} runs as one: after a crash either all
     * of them are in the store or none is. Their futures complete together. Groups do not nest.
     */
    default void atomically(Runnable writes) {
        writes.run();
    }

    /**
     * Writes a consistent copy of the store into {@code target} (which must not exist), while the broker
     * runs: a backup that can be used as a data directory's {@code store} later. Blocks while it copies
     * (hard links where possible); call it off the event loops.
     */
    void checkpoint(Path target) throws StoreException;

    StoreStatistics statistics();

    /** What this store is and where, for the start-up log. */
    String describe();

    /** Writes what is waiting, then closes the store. Writes requested afterwards fail. */
    @Override
    void close();
}
