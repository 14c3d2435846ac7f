package io.estafeta.broker.store.rocksdb;

import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.routing.Subscription;
import io.estafeta.broker.store.DeliveryState;
import io.estafeta.broker.store.SessionExpiry;
import io.estafeta.broker.store.StoreException;
import io.estafeta.broker.store.StoredDelivery;
import io.estafeta.broker.store.StoredSession;
import io.estafeta.broker.store.StoredSessionState;
import io.estafeta.broker.store.StoredState;
import io.estafeta.broker.store.StoredWill;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the whole store when it is opened, with checksums verified, into a {@link StoredState} and the
 * writer's bookkeeping. Reading everything is also the check that the store is sound: a corrupt block
 * anywhere fails the open rather than going unnoticed.
 *
 * <p>While reading, it removes what must not come back: sessions that expired while the broker was
 * down (their will stays: it is due now), records of sessions that have no session record (left by a
 * removal that raced a late write), messages no delivery refers to, and expired retained messages.
 */
final class StoreLoader {

    private static final Logger LOG = LoggerFactory.getLogger(StoreLoader.class);

    /** The result: what the broker rebuilds from, and what the writer starts with. */
    record Loaded(StoredState state, WriterState writerState, long nextDeliveryId, Set<String> removedClients,
                  MessageRange deletedMessages) {
    }

    /** The ids of the messages deleted while loading (inclusive), to compact that range; null if none. */
    record MessageRange(long first, long last) {
        MessageRange including(long id) {
            return new MessageRange(Math.min(first, id), Math.max(last, id));
        }
    }

    private final RocksDB db;
    private final Columns columns;
    private final Path store;
    private final long nowMillis;
    private final Duration persistentClientExpiration;

    StoreLoader(RocksDB db, Columns columns, Path store, long nowMillis, Duration persistentClientExpiration) {
        this.db = db;
        this.columns = columns;
        this.store = store;
        this.nowMillis = nowMillis;
        this.persistentClientExpiration = persistentClientExpiration;
    }

    Loaded load() throws StoreException {
        try (ReadOptions read = new ReadOptions().setVerifyChecksums(true).setFillCache(false);
             WriteBatch cleanup = new WriteBatch()) {
            Loaded loaded = load(read, cleanup);
            if (cleanup.count() > 0) {
                try (WriteOptions synced = new WriteOptions().setSync(true)) {
                    db.write(synced, cleanup);
                }
            }
            return loaded;
        } catch (RocksDBException e) {
            throw RocksErrors.readFailed(store, e);
        } catch (MalformedRecordException | IllegalArgumentException e) {
            throw RocksErrors.corrupt(store, e.getMessage(), e);
        }
    }

    private Loaded load(ReadOptions read, WriteBatch cleanup) throws RocksDBException, StoreException {
        Map<String, StoredSession> sessions = new LinkedHashMap<>();
        List<StoredSession> expired = new ArrayList<>();
        scan(read, Column.SESSIONS, (key, value) -> {
            String clientId = clientOnly(key, Column.SESSIONS);
            StoredSession session = RecordCodec.decodeSession(clientId, value);
            if (SessionExpiry.isExpired(session, nowMillis, persistentClientExpiration)) {
                expired.add(session);
            } else {
                sessions.put(clientId, session);
            }
        });
        Set<String> removedClients = new LinkedHashSet<>();
        expired.forEach(session -> removedClients.add(session.clientId()));

        Map<String, List<Subscription>> subscriptions = new HashMap<>();
        scan(read, Column.SUBSCRIPTIONS, (key, value) -> {
            RecordReader in = new RecordReader(key, "subscription key");
            String clientId = StoreKeys.readClient(in);
            if (keep(clientId, sessions, removedClients)) {
                subscriptions.computeIfAbsent(clientId, id -> new ArrayList<>())
                        .add(RecordCodec.decodeSubscription(clientId, value));
            }
        });

        Map<String, List<RocksDelivery>> deliveries = new HashMap<>();
        Map<RocksDelivery, Long> messageIds = new HashMap<>();
        Set<Long> referenced = new HashSet<>();
        long[] maxDeliveryId = {0};
        scan(read, Column.DELIVERIES, (key, value) -> {
            RecordReader in = new RecordReader(key, "delivery key");
            String clientId = StoreKeys.readClient(in);
            long deliveryId = in.readLong();
            in.requireEnd();
            maxDeliveryId[0] = Math.max(maxDeliveryId[0], deliveryId);
            if (!keep(clientId, sessions, removedClients)) {
                return;
            }
            RecordCodec.DeliveryRecord stored = RecordCodec.decodeDelivery(value,
                    "delivery " + deliveryId + " of " + clientId);
            RocksDelivery delivery = new RocksDelivery(clientId, deliveryId, stored.qos(), stored.subscriptionIds(),
                    stored.sharedGroup());
            delivery.packetId = stored.packetId();
            delivery.state = stored.state();
            deliveries.computeIfAbsent(clientId, id -> new ArrayList<>()).add(delivery);
            if (stored.messageId() != RecordCodec.NO_MESSAGE) {
                messageIds.put(delivery, stored.messageId());
                referenced.add(stored.messageId());
            }
        });

        Map<String, List<Integer>> inbound = new HashMap<>();
        scan(read, Column.INBOUND_QOS2, (key, value) -> {
            RecordReader in = new RecordReader(key, "inbound QoS 2 key");
            String clientId = StoreKeys.readClient(in);
            int packetId = in.readShort();
            in.requireEnd();
            if (keep(clientId, sessions, removedClients)) {
                inbound.computeIfAbsent(clientId, id -> new ArrayList<>()).add(packetId);
            }
        });

        Map<Long, StoredBody> bodies = new HashMap<>();
        long[] maxMessageId = {0};
        MessageRange[] deleted = {null};
        scan(read, Column.MESSAGES, (key, value) -> {
            RecordReader in = new RecordReader(key, "message key");
            long messageId = in.readLong();
            in.requireEnd();
            maxMessageId[0] = Math.max(maxMessageId[0], messageId);
            if (referenced.contains(messageId)) {
                bodies.put(messageId, new StoredBody(messageId, MessageCodec.decode(value, "message " + messageId)));
            } else {
                cleanup.delete(columns.handle(Column.MESSAGES), key);
                deleted[0] = deleted[0] == null ? new MessageRange(messageId, messageId) : deleted[0].including(messageId);
            }
        });

        WriterState writerState = new WriterState(maxMessageId[0] + 1);
        bodies.values().forEach(writerState::restore);
        List<StoredSessionState> sessionStates = new ArrayList<>();
        for (StoredSession session : sessions.values()) {
            String clientId = session.clientId();
            List<StoredDelivery> stored = new ArrayList<>();
            for (RocksDelivery delivery : deliveries.getOrDefault(clientId, List.of())) {
                Long messageId = messageIds.get(delivery);
                if (messageId != null) {
                    delivery.body = bodies.get(messageId);
                    if (delivery.body == null) {
                        throw RocksErrors.corrupt(store, delivery + " refers to message " + messageId
                                + ", which is missing", null);
                    }
                }
                writerState.restore(delivery);
                stored.add(new StoredDelivery(delivery, delivery.body == null ? null : delivery.body.message,
                        delivery.qos, delivery.subscriptionIds, delivery.sharedGroup, delivery.packetId,
                        delivery.state));
            }
            sessionStates.add(new StoredSessionState(session, subscriptions.getOrDefault(clientId, List.of()), stored,
                    inbound.getOrDefault(clientId, List.of())));
        }

        List<ApplicationMessage> retained = new ArrayList<>();
        scan(read, Column.RETAINED, (key, value) -> {
            String topic = new String(key, StandardCharsets.UTF_8);
            ApplicationMessage message = MessageCodec.decode(value, "retained message on " + topic);
            if (message.isExpired(nowMillis)) {
                cleanup.delete(columns.handle(Column.RETAINED), key);
            } else {
                retained.add(message);
            }
        });

        List<StoredWill> wills = new ArrayList<>();
        scan(read, Column.WILLS, (key, value) -> {
            String clientId = clientOnly(key, Column.WILLS);
            RecordCodec.WillRecord will = RecordCodec.decodeWill(clientId, value);
            wills.add(new StoredWill(clientId, will.will(), will.publishAtMillis()));
        });

        for (String clientId : removedClients) {
            byte[] begin = StoreKeys.client(clientId);
            byte[] end = StoreKeys.endOfPrefix(begin);
            for (Column column : Column.PER_SESSION) {
                cleanup.deleteRange(columns.handle(column), begin, end);
            }
        }
        if (!expired.isEmpty()) {
            LOG.info("{} sessions expired while the broker was down and were removed from the store", expired.size());
        }
        StoredState state = new StoredState(sessionStates, retained, wills, expired);
        return new Loaded(state, writerState, maxDeliveryId[0] + 1, removedClients, deleted[0]);
    }

    /** Whether a record of this client is kept; if its session is gone, the client's records are removed. */
    private static boolean keep(String clientId, Map<String, StoredSession> sessions, Set<String> removedClients) {
        if (sessions.containsKey(clientId)) {
            return true;
        }
        removedClients.add(clientId);
        return false;
    }

    private static String clientOnly(byte[] key, Column column) {
        RecordReader in = new RecordReader(key, column.familyName() + " key");
        String clientId = StoreKeys.readClient(in);
        in.requireEnd();
        return clientId;
    }

    private interface RecordVisitor {
        void visit(byte[] key, byte[] value) throws RocksDBException;
    }

    private void scan(ReadOptions read, Column column, RecordVisitor visitor) throws RocksDBException {
        try (RocksIterator iterator = db.newIterator(columns.handle(column), read)) {
            for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                visitor.visit(iterator.key(), iterator.value());
            }
            iterator.status();
        }
    }
}
