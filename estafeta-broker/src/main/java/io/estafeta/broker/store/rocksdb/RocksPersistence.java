package io.estafeta.broker.store.rocksdb;

import io.estafeta.broker.config.PersistenceMode;
import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.routing.SharedGroup;
import io.estafeta.broker.routing.Subscription;
import io.estafeta.broker.store.Appended;
import io.estafeta.broker.store.DeliveryHandle;
import io.estafeta.broker.store.DeliveryState;
import io.estafeta.broker.store.MessageStore;
import io.estafeta.broker.store.Persistence;
import io.estafeta.broker.store.PersistenceOptions;
import io.estafeta.broker.store.RetainedStore;
import io.estafeta.broker.store.SessionStore;
import io.estafeta.broker.store.StoreException;
import io.estafeta.broker.store.StoreStatistics;
import io.estafeta.broker.store.StoredSession;
import io.estafeta.broker.store.StoredState;
import io.estafeta.broker.store.StoredStateHandover;
import io.estafeta.broker.store.WillStore;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Env;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.SstFileManager;
import org.rocksdb.TablePropertiesCollectorFactory;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The store in RocksDB: one column family per kind of record ({@link Column}, keys in {@link StoreKeys}),
 * written by one group-commit thread ({@link GroupCommitWriter}). docs/PERSISTENCE.md describes the
 * layout, the durability modes and how to back the store up.
 */
public final class RocksPersistence implements Persistence {

    private static final Logger LOG = LoggerFactory.getLogger(RocksPersistence.class);

    /** The version of the layout and encodings; a store written by a newer one is refused. */
    static final int FORMAT_VERSION = 1;
    static final byte[] FORMAT_KEY = StoreKeys.text("format");

    /** For {@link GroupCommitWriter#submit}: the write adds data, and is refused while the disk is nearly full. */
    private static final boolean GROWS = true;
    /** The write removes or updates in place: let through on a nearly full disk, as it is how space comes back. */
    private static final boolean SHRINKS = false;
    private static final int MAX_PACKET_ID = 0xFFFF;
    private static final int MAX_QOS = 2;
    /** RocksDB's own log (LOG files in the store directory): a few, small. */
    private static final long INFO_LOG_MAX_BYTES = 4L * 1024 * 1024;
    private static final long INFO_LOGS_KEPT = 3;
    /**
     * Past this much write-ahead log the column families with old unflushed data are flushed, so that the
     * log of a rarely written family (wills, say) does not keep every later log file alive.
     */
    private static final long MAX_TOTAL_WAL_BYTES = 64L * 1024 * 1024;
    /**
     * Compaction on deletion (messages and deliveries are written once and deleted soon): a file in which
     * {@value #DELETION_TRIGGER} of any {@value #DELETION_WINDOW} consecutive entries are deletions, or half
     * of all, is compacted, so runs of tombstones do not pile up in front of live entries.
     */
    private static final long DELETION_WINDOW = 128;
    private static final long DELETION_TRIGGER = 64;
    private static final double DELETION_RATIO = 0.5;

    private final Path store;
    private final PersistenceOptions options;
    private final RocksDB db;
    private final Columns columns;
    private final List<AutoCloseable> resources;
    private final GroupCommitWriter writer;
    private final StoreMaintenance maintenance;
    private final WriteOptions writeOptions;
    private final AtomicLong nextDeliveryId;
    private final StoredStateHandover openedWith;
    private boolean closed;

    private final SessionStore sessionStore = new Sessions();
    private final MessageStore messageStore = new Messages();
    private final RetainedStore retainedStore = new Retained();
    private final WillStore willStore = new Wills();

    private RocksPersistence(Path store, PersistenceOptions options, RocksDB db, Columns columns,
                             List<AutoCloseable> resources, StoreLoader.Loaded loaded, DiskSpace diskSpace) {
        this.store = store;
        this.options = options;
        this.db = db;
        this.columns = columns;
        this.resources = resources;
        this.openedWith = new StoredStateHandover(loaded.state());
        this.nextDeliveryId = new AtomicLong(loaded.nextDeliveryId());
        this.writeOptions = new WriteOptions().setSync(options.mode() == PersistenceMode.SYNC);
        this.maintenance = new StoreMaintenance(db, columns);
        this.writer = new GroupCommitWriter(db, writeOptions, columns, loaded.writerState(), store,
                options.groupCommitLinger(), options.maxBatchWrites(), diskSpace);
    }

    /**
     * Opens (or creates) the store in {@code options.dataDirectory()}/store and reads it.
     *
     * @param clock the time sessions and retained messages are checked for expiry against
     * @throws StoreException if the directory cannot be used, is locked by another process, or is corrupt
     */
    public static RocksPersistence open(PersistenceOptions options, InstantSource clock) throws StoreException {
        Path store = DataDirectory.prepare(options.dataDirectory());
        boolean existing = DataDirectory.holdsDatabase(store);
        RocksDB.loadLibrary();
        List<AutoCloseable> resources = new ArrayList<>();
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB db = null;
        try {
            if (existing) {
                requireKnownColumns(store);
            }
            SstFileManager files = track(resources, new SstFileManager(Env.getDefault()));
            DBOptions dbOptions = track(resources, new DBOptions()
                    .setCreateIfMissing(!existing)
                    .setCreateMissingColumnFamilies(!existing)
                    .setParanoidChecks(true)
                    // A torn last record is a write that was never acknowledged; damage anywhere else is an error.
                    .setWalRecoveryMode(WALRecoveryMode.TolerateCorruptedTailRecords)
                    // Lets RocksDB recover by itself from "disk full" once space is freed.
                    .setSstFileManager(files)
                    .setMaxTotalWalSize(MAX_TOTAL_WAL_BYTES)
                    .setMaxLogFileSize(INFO_LOG_MAX_BYTES)
                    .setKeepLogFileNum(INFO_LOGS_KEPT));
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            for (Column column : Column.values()) {
                descriptors.add(new ColumnFamilyDescriptor(column.nameBytes(), columnOptions(column, resources)));
            }
            db = RocksDB.open(dbOptions, store.toString(), descriptors, handles);
            resources.add(db);
            Columns columns = new Columns(handles);
            checkFormat(db, columns, store, existing);
            StoreLoader.Loaded loaded = new StoreLoader(db, columns, store, clock.millis(),
                    options.persistentClientExpiration()).load();
            DiskSpace diskSpace;
            try {
                diskSpace = new DiskSpace(store, options.minFreeDiskBytes());
            } catch (IOException e) {
                throw new StoreException("cannot read the file system of " + store + ": " + e.getMessage(), e);
            }
            RocksPersistence persistence = new RocksPersistence(store, options, db, columns, resources, loaded,
                    diskSpace);
            persistence.start(loaded);
            return persistence;
        } catch (RocksDBException e) {
            closeAll(handles, resources);
            throw RocksErrors.openFailed(store, e);
        } catch (StoreException | RuntimeException e) {
            closeAll(handles, resources);
            throw e;
        }
    }

    private void start(StoreLoader.Loaded loaded) {
        writer.start();
        if (options.mode() == PersistenceMode.PERIODIC) {
            maintenance.syncPeriodically(options.syncInterval(), writer::countSync);
        }
        for (String clientId : loaded.removedClients()) {
            requestCompaction(clientId);
        }
        StoreLoader.MessageRange deleted = loaded.deletedMessages();
        if (deleted != null) {
            maintenance.compactLater(Column.MESSAGES, StoreKeys.message(deleted.first()),
                    StoreKeys.message(deleted.last() + 1));
        }
        LOG.info("{}: {} sessions, {} retained messages, {} delayed wills", describe(),
                loaded.state().sessions().size(), loaded.state().retained().size(), loaded.state().wills().size());
    }

    private static ColumnFamilyOptions columnOptions(Column column, List<AutoCloseable> resources) {
        if (column != Column.MESSAGES && column != Column.DELIVERIES) {
            return track(resources, new ColumnFamilyOptions());
        }
        // Java's ColumnFamilyOptions cannot take a collector factory; Options can, and hands it on when copied.
        try (Options withCollector = new Options()) {
            withCollector.setTablePropertiesCollectorFactory(List.of(track(resources,
                    TablePropertiesCollectorFactory.NewCompactOnDeletionCollectorFactory(DELETION_WINDOW,
                            DELETION_TRIGGER, DELETION_RATIO))));
            return track(resources, new ColumnFamilyOptions(withCollector));
        }
    }

    /** An existing store must have exactly our column families: missing ones mean damage, extra ones a newer version. */
    private static void requireKnownColumns(Path store) throws RocksDBException, StoreException {
        Set<String> found = new HashSet<>();
        try (Options listing = new Options()) {
            for (byte[] name : RocksDB.listColumnFamilies(listing, store.toString())) {
                found.add(new String(name, StandardCharsets.UTF_8));
            }
        }
        Set<String> expected = new HashSet<>();
        Arrays.stream(Column.values()).forEach(column -> expected.add(column.familyName()));
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(found);
        Set<String> unknown = new HashSet<>(found);
        unknown.removeAll(expected);
        if (!unknown.isEmpty()) {
            throw new StoreException("the store in " + store + " has column families this Estafeta does not know "
                    + unknown + ": was it written by a newer version?");
        }
        if (!missing.isEmpty()) {
            throw RocksErrors.corrupt(store, "column families " + missing + " are missing", null);
        }
    }

    private static void checkFormat(RocksDB db, Columns columns, Path store, boolean existing)
            throws RocksDBException, StoreException {
        ColumnFamilyHandle meta = columns.handle(Column.META);
        byte[] stored = db.get(meta, FORMAT_KEY);
        if (stored == null) {
            if (existing) {
                throw RocksErrors.corrupt(store, "its format version is missing", null);
            }
            try (WriteOptions synced = new WriteOptions().setSync(true)) {
                db.put(meta, synced, FORMAT_KEY, new RecordWriter().writeVarInt(FORMAT_VERSION).toByteArray());
            }
            return;
        }
        RecordReader in = new RecordReader(stored, "format version");
        int version;
        try {
            version = in.readVarInt();
            in.requireEnd();
        } catch (MalformedRecordException e) {
            throw RocksErrors.corrupt(store, e.getMessage(), e);
        }
        if (version != FORMAT_VERSION) {
            throw new StoreException("the store in " + store + " has format version " + version + "; this Estafeta"
                    + " reads version " + FORMAT_VERSION + (version > FORMAT_VERSION ? " (written by a newer version?)"
                    : ""));
        }
    }

    private static <T extends AutoCloseable> T track(List<AutoCloseable> resources, T resource) {
        resources.add(resource);
        return resource;
    }

    private static void closeAll(List<ColumnFamilyHandle> handles, List<AutoCloseable> resources) {
        handles.forEach(ColumnFamilyHandle::close);
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.debug("closing a store resource failed", e);
            }
        }
    }

    // ------------------------------------------------------------------ Persistence

    @Override
    public StoredState takeStoredState() {
        return openedWith.take();
    }

    @Override
    public SessionStore sessions() {
        return sessionStore;
    }

    @Override
    public MessageStore messages() {
        return messageStore;
    }

    @Override
    public RetainedStore retained() {
        return retainedStore;
    }

    @Override
    public WillStore wills() {
        return willStore;
    }

    @Override
    public void checkpoint(Path target) throws StoreException {
        Objects.requireNonNull(target, "target");
        if (Files.exists(target)) {
            throw new StoreException("cannot back up the store to " + target + ": it exists already");
        }
        Path absolute = target.toAbsolutePath();
        try (Checkpoint checkpoint = Checkpoint.create(db)) {
            if (absolute.getParent() != null) {
                Files.createDirectories(absolute.getParent());
            }
            checkpoint.createCheckpoint(absolute.toString());
        } catch (IOException e) {
            throw new StoreException("cannot back up the store to " + target + ": " + DataDirectory.describe(e), e);
        } catch (RocksDBException e) {
            throw new StoreException("cannot back up the store in " + store + " to " + target + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public StoreStatistics statistics() {
        return writer.statistics();
    }

    @Override
    public String describe() {
        return switch (options.mode()) {
            case SYNC -> "RocksDB store in " + store + " (sync: every acknowledged write is on disk)";
            case PERIODIC -> "RocksDB store in " + store + " (periodic: synced every "
                    + options.syncInterval().toSeconds() + " s; a machine crash loses up to that much)";
        };
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        writer.close();
        maintenance.close();
        try {
            db.flushWal(true);
        } catch (RocksDBException e) {
            LOG.warn("final sync of the store in {} failed: {}", store, e.getMessage());
        }
        columns.close();
        writeOptions.close();
        closeAll(List.of(), resources);
    }

    /** The store directory. */
    public Path directory() {
        return store;
    }

    // ------------------------------------------------------------------ for tests in this package

    RocksDB database() {
        return db;
    }

    Columns columns() {
        return columns;
    }

    @Override
    public void atomically(Runnable writes) {
        writer.beginGroup();
        try {
            writes.run();
        } finally {
            writer.endGroup();
        }
    }

    void setBatchListener(GroupCommitWriter.BatchListener listener) {
        writer.setListener(listener);
    }

    void awaitMaintenance() {
        maintenance.awaitIdle();
    }

    // ------------------------------------------------------------------ the stores

    private void requestCompaction(String clientId) {
        byte[] begin = StoreKeys.client(clientId);
        byte[] end = StoreKeys.endOfPrefix(begin);
        for (Column column : Column.PER_SESSION) {
            maintenance.compactLater(column, begin, end);
        }
    }

    private static void requireQos(int qos) {
        if (qos < 0 || qos > MAX_QOS) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2: " + qos);
        }
    }

    private static void requirePacketId(int packetId, int min) {
        if (packetId < min || packetId > MAX_PACKET_ID) {
            throw new IllegalArgumentException("packet id out of range: " + packetId);
        }
    }

    private final class Sessions implements SessionStore {

        @Override
        public CompletableFuture<Void> putSession(StoredSession session) {
            byte[] key = StoreKeys.client(session.clientId());
            byte[] value = RecordCodec.encodeSession(session);
            return writer.submit(batch -> batch.put(Column.SESSIONS, key, value), GROWS);
        }

        @Override
        public CompletableFuture<Void> removeSession(String clientId) {
            byte[] begin = StoreKeys.client(clientId);
            byte[] end = StoreKeys.endOfPrefix(begin);
            return writer.submit(batch -> {
                for (RocksDelivery delivery : batch.state().removeClient(clientId, batch)) {
                    if (delivery.body != null) {
                        batch.state().release(delivery.body, batch);
                    }
                }
                for (Column column : Column.PER_SESSION) {
                    batch.deleteRange(column, begin, end);
                }
                batch.afterCommit(() -> requestCompaction(clientId));
            }, SHRINKS);
        }

        @Override
        public CompletableFuture<Void> putSubscription(Subscription subscription) {
            byte[] key = StoreKeys.subscription(subscription.clientId(), subscription.clientFilter());
            byte[] value = RecordCodec.encodeSubscription(subscription);
            return writer.submit(batch -> batch.put(Column.SUBSCRIPTIONS, key, value), GROWS);
        }

        @Override
        public CompletableFuture<Void> removeSubscription(String clientId, String clientFilter) {
            byte[] key = StoreKeys.subscription(clientId, clientFilter);
            return writer.submit(batch -> batch.delete(Column.SUBSCRIPTIONS, key), SHRINKS);
        }
    }

    private final class Messages implements MessageStore {

        @Override
        public Appended append(String clientId, ApplicationMessage message, int qos, int[] subscriptionIds,
                               SharedGroup sharedGroup, int packetId) {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(subscriptionIds, "subscriptionIds");
            requireQos(qos);
            requirePacketId(packetId, 0);
            StoreKeys.client(clientId); // refuses a client id too long for a key, on the caller's thread
            RocksDelivery delivery = new RocksDelivery(clientId, nextDeliveryId.getAndIncrement(), qos,
                    subscriptionIds, sharedGroup);
            CompletableFuture<Void> durable = writer.submit(batch -> {
                delivery.body = batch.state().reference(message, batch);
                delivery.packetId = packetId;
                delivery.state = packetId == 0 ? DeliveryState.QUEUED : DeliveryState.IN_FLIGHT;
                batch.state().addLive(delivery, batch);
                batch.put(Column.DELIVERIES, delivery.key(), delivery.value());
            }, GROWS);
            return new Appended(delivery, durable);
        }

        @Override
        public CompletableFuture<Void> markInflight(DeliveryHandle handle, int packetId) {
            requirePacketId(packetId, 1);
            RocksDelivery delivery = (RocksDelivery) handle;
            return writer.submit(batch -> {
                if (!batch.state().isLive(delivery) || delivery.state == DeliveryState.RELEASED) {
                    return;
                }
                int previousPacketId = delivery.packetId;
                DeliveryState previousState = delivery.state;
                delivery.packetId = packetId;
                delivery.state = DeliveryState.IN_FLIGHT;
                batch.onFailure(() -> {
                    delivery.packetId = previousPacketId;
                    delivery.state = previousState;
                });
                batch.put(Column.DELIVERIES, delivery.key(), delivery.value());
            }, SHRINKS);
        }

        @Override
        public CompletableFuture<Void> markReleased(DeliveryHandle handle) {
            RocksDelivery delivery = (RocksDelivery) handle;
            return writer.submit(batch -> {
                if (!batch.state().isLive(delivery) || delivery.state == DeliveryState.RELEASED) {
                    return;
                }
                StoredBody body = delivery.body;
                DeliveryState previousState = delivery.state;
                delivery.body = null;
                delivery.state = DeliveryState.RELEASED;
                batch.onFailure(() -> {
                    delivery.body = body;
                    delivery.state = previousState;
                });
                if (body != null) {
                    batch.state().release(body, batch);
                }
                batch.put(Column.DELIVERIES, delivery.key(), delivery.value());
            }, SHRINKS);
        }

        @Override
        public CompletableFuture<Void> remove(DeliveryHandle handle) {
            RocksDelivery delivery = (RocksDelivery) handle;
            return writer.submit(batch -> {
                if (!batch.state().removeLive(delivery, batch)) {
                    return;
                }
                if (delivery.body != null) {
                    batch.state().release(delivery.body, batch);
                }
                batch.delete(Column.DELIVERIES, delivery.key());
            }, SHRINKS);
        }

        @Override
        public CompletableFuture<Void> addInboundQos2(String clientId, int packetId) {
            requirePacketId(packetId, 1);
            byte[] key = StoreKeys.inboundQos2(clientId, packetId);
            return writer.submit(batch -> batch.put(Column.INBOUND_QOS2, key, new byte[0]), GROWS);
        }

        @Override
        public CompletableFuture<Void> removeInboundQos2(String clientId, int packetId) {
            requirePacketId(packetId, 1);
            byte[] key = StoreKeys.inboundQos2(clientId, packetId);
            return writer.submit(batch -> batch.delete(Column.INBOUND_QOS2, key), SHRINKS);
        }
    }

    private final class Retained implements RetainedStore {

        @Override
        public CompletableFuture<Void> put(ApplicationMessage message) {
            if (message.payloadSize() == 0) {
                return remove(message.topic());
            }
            byte[] key = StoreKeys.text(message.topic());
            byte[] value = MessageCodec.encode(message);
            return writer.submit(batch -> batch.put(Column.RETAINED, key, value), GROWS);
        }

        @Override
        public CompletableFuture<Void> remove(String topic) {
            byte[] key = StoreKeys.text(topic);
            return writer.submit(batch -> batch.delete(Column.RETAINED, key), SHRINKS);
        }
    }

    private final class Wills implements WillStore {

        @Override
        public CompletableFuture<Void> putWill(String clientId, ApplicationMessage will, long publishAtMillis) {
            byte[] key = StoreKeys.client(clientId);
            byte[] value = RecordCodec.encodeWill(will, publishAtMillis);
            return writer.submit(batch -> batch.put(Column.WILLS, key, value), GROWS);
        }

        @Override
        public CompletableFuture<Void> removeWill(String clientId) {
            byte[] key = StoreKeys.client(clientId);
            return writer.submit(batch -> batch.delete(Column.WILLS, key), SHRINKS);
        }
    }
}
