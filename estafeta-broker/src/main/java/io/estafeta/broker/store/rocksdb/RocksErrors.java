package io.estafeta.broker.store.rocksdb;

import io.estafeta.broker.store.StoreException;
import io.estafeta.broker.store.StoreFullException;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

import java.nio.file.Path;
import java.util.Locale;

/** Turns RocksDB's errors into {@link StoreException}s an operator can act on. */
final class RocksErrors {

    private static final String NO_SPACE_TEXT = "no space left on device";
    private static final String LOCK_TEXT = "lock";

    private RocksErrors() {
    }

    static StoreException openFailed(Path store, RocksDBException e) {
        String detail = detail(e);
        if (isLockConflict(e)) {
            return new StoreException("the store in " + store + " is in use by another Estafeta broker (or another"
                    + " process): cannot lock " + store.resolve("LOCK") + " (" + detail + ")", e);
        }
        if (isCorruption(e)) {
            return corrupt(store, detail, e);
        }
        if (isNoSpace(e)) {
            return new StoreFullException("cannot open the store in " + store + ": the disk is full (" + detail + ")",
                    e);
        }
        return new StoreException("cannot open the store in " + store + ": " + detail, e);
    }

    static StoreException readFailed(Path store, RocksDBException e) {
        if (isCorruption(e)) {
            return corrupt(store, detail(e), e);
        }
        return new StoreException("cannot read the store in " + store + ": " + detail(e), e);
    }

    static StoreException corrupt(Path store, String detail, Exception cause) {
        return new StoreException("the store in " + store + " is corrupt (" + detail + "); restore it from a backup"
                + " (docs/PERSISTENCE.md) or move it away to start with an empty store", cause);
    }

    static StoreException writeFailed(Path store, Exception e) {
        String detail = e instanceof RocksDBException rocks ? detail(rocks) : String.valueOf(e);
        if (e instanceof RocksDBException rocks && isNoSpace(rocks)) {
            return new StoreFullException("cannot write to the store in " + store + ": the disk is full (" + detail
                    + ")", e);
        }
        return new StoreException("cannot write to the store in " + store + ": " + detail, e);
    }

    static boolean isNoSpace(RocksDBException e) {
        Status status = e.getStatus();
        if (status != null && status.getSubCode() == Status.SubCode.NoSpace) {
            return true;
        }
        return detail(e).toLowerCase(Locale.ROOT).contains(NO_SPACE_TEXT);
    }

    private static boolean isCorruption(RocksDBException e) {
        Status status = e.getStatus();
        return status != null && status.getCode() == Status.Code.Corruption;
    }

    private static boolean isLockConflict(RocksDBException e) {
        Status status = e.getStatus();
        return status != null && status.getCode() == Status.Code.IOError
                && detail(e).toLowerCase(Locale.ROOT).contains(LOCK_TEXT);
    }

    private static String detail(RocksDBException e) {
        return e.getMessage() != null ? e.getMessage() : String.valueOf(e.getStatus());
    }
}
