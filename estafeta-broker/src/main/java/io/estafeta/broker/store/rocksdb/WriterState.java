package io.estafeta.broker.store.rocksdb;

import io.estafeta.broker.message.ApplicationMessage;
import org.rocksdb.RocksDBException;

import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the writer thread knows beyond the disk, so that it never reads while writing: which message
 * instance is stored under which id and how many deliveries refer to it, and which deliveries of each
 * session exist. Confined to the writer thread (before it starts, to the thread that opens the store).
 *
 * <p>A message is recognised by instance: the router hands one {@link ApplicationMessage} to every
 * session it delivers to, so a fan-out to a thousand persistent sessions stores the payload once and a
 * thousand small delivery records.
 */
final class WriterState {

    private final Map<ApplicationMessage, StoredBody> bodies = new IdentityHashMap<>();
    private final Map<String, Set<RocksDelivery>> liveByClient = new HashMap<>();
    private long nextMessageId;

    WriterState(long firstMessageId) {
        this.nextMessageId = firstMessageId;
    }

    /** At open: a stored message and a stored delivery. */
    void restore(StoredBody body) {
        bodies.put(body.message, body);
    }

    void restore(RocksDelivery delivery) {
        liveByClient.computeIfAbsent(delivery.clientId(), id -> new HashSet<>()).add(delivery);
        if (delivery.body != null) {
            delivery.body.references++;
        }
    }

    /** The stored body of {@code message}, written in this batch if it is not stored yet, with one more reference. */
    StoredBody reference(ApplicationMessage message, BatchContext batch) throws RocksDBException {
        StoredBody body = bodies.get(message);
        if (body == null) {
            StoredBody created = new StoredBody(nextMessageId++, message);
            bodies.put(message, created);
            batch.put(Column.MESSAGES, StoreKeys.message(created.id), MessageCodec.encode(message));
            batch.onFailure(() -> bodies.remove(message, created));
            body = created;
        }
        StoredBody referenced = body;
        referenced.references++;
        batch.onFailure(() -> referenced.references--);
        return referenced;
    }

    /** One reference fewer; the last one deletes the message. */
    void release(StoredBody body, BatchContext batch) throws RocksDBException {
        body.references--;
        batch.onFailure(() -> body.references++);
        if (body.references == 0) {
            bodies.remove(body.message, body);
            batch.delete(Column.MESSAGES, StoreKeys.message(body.id));
            batch.onFailure(() -> bodies.put(body.message, body));
        }
    }

    void addLive(RocksDelivery delivery, BatchContext batch) {
        Set<RocksDelivery> live = liveByClient.computeIfAbsent(delivery.clientId(), id -> new HashSet<>());
        live.add(delivery);
        batch.onFailure(() -> removeLive(delivery));
    }

    boolean isLive(RocksDelivery delivery) {
        Set<RocksDelivery> live = liveByClient.get(delivery.clientId());
        return live != null && live.contains(delivery);
    }

    /** @return false if the delivery was already removed (or its session was) */
    boolean removeLive(RocksDelivery delivery, BatchContext batch) {
        if (!removeLive(delivery)) {
            return false;
        }
        batch.onFailure(() -> liveByClient.computeIfAbsent(delivery.clientId(), id -> new HashSet<>()).add(delivery));
        return true;
    }

    /** Forgets every delivery of a session, and returns them. */
    Set<RocksDelivery> removeClient(String clientId, BatchContext batch) {
        Set<RocksDelivery> live = liveByClient.remove(clientId);
        if (live == null) {
            return Set.of();
        }
        batch.onFailure(() -> liveByClient.put(clientId, live));
        return live;
    }

    /** Messages stored now: for tests and diagnostics. */
    int storedMessages() {
        return bodies.size();
    }

    private boolean removeLive(RocksDelivery delivery) {
        Set<RocksDelivery> live = liveByClient.get(delivery.clientId());
        if (live == null || !live.remove(delivery)) {
            return false;
        }
        if (live.isEmpty()) {
            liveByClient.remove(delivery.clientId());
        }
        return true;
    }
}
