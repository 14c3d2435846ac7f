package io.estafeta.broker.store;

import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.routing.SharedGroup;
import io.estafeta.broker.routing.Subscription;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The store for {@code persistence false}: the same operations as the RocksDB store, kept in memory and
 * lost when the broker stops. Writes complete at once. It keeps references to the messages the sessions
 * hold (no copies). {@link #restart} gives what a restart would read back, for tests of the layers above.
 *
 * <p>Thread-safe: every operation holds this object's monitor briefly.
 */
public final class InMemoryPersistence implements Persistence {

    private final Map<String, ClientData> clients = new LinkedHashMap<>();
    private final Map<String, ApplicationMessage> retainedByTopic = new LinkedHashMap<>();
    private final Map<String, StoredWill> willsByClient = new LinkedHashMap<>();
    private final AtomicLong nextDeliveryId;
    private final AtomicLong writes = new AtomicLong();
    private final StoredStateHandover openedWith;
    private boolean closed;

    private final SessionStore sessionStore = new Sessions();
    private final MessageStore messageStore = new Messages();
    private final RetainedStore retainedStore = new Retained();
    private final WillStore willStore = new Wills();

    public InMemoryPersistence() {
        this(StoredState.EMPTY, 1);
    }

    private InMemoryPersistence(StoredState state, long firstDeliveryId) {
        this.openedWith = new StoredStateHandover(state);
        this.nextDeliveryId = new AtomicLong(firstDeliveryId);
        for (StoredSessionState session : state.sessions()) {
            ClientData data = new ClientData();
            data.session = session.session();
            session.subscriptions().forEach(s -> data.subscriptions.put(s.clientFilter(), s));
            for (StoredDelivery delivery : session.deliveries()) {
                MemoryDelivery handle = (MemoryDelivery) delivery.handle();
                data.deliveries.put(handle.deliveryId, handle);
            }
            data.inboundQos2.addAll(session.inboundQos2());
            clients.put(session.clientId(), data);
        }
        state.retained().forEach(m -> retainedByTopic.put(m.topic(), m));
        state.wills().forEach(w -> willsByClient.put(w.clientId(), w));
    }

    /**
     * What the RocksDB store would read back after a restart at {@code clock}'s time: this store's content
     * with expired sessions, sessions without a record, and expired retained messages left out. The
     * result is a new store, as if opened again; this one is left as it is.
     */
    public synchronized InMemoryPersistence restart(InstantSource clock, Duration persistentClientExpiration) {
        long now = clock.millis();
        List<StoredSessionState> sessions = new ArrayList<>();
        List<StoredSession> expired = new ArrayList<>();
        long maxDeliveryId = 0;
        for (Map.Entry<String, ClientData> entry : clients.entrySet()) {
            ClientData data = entry.getValue();
            if (data.session == null) {
                continue;
            }
            if (SessionExpiry.isExpired(data.session, now, persistentClientExpiration)) {
                expired.add(data.session);
                continue;
            }
            List<StoredDelivery> deliveries = new ArrayList<>();
            for (MemoryDelivery delivery : data.deliveries.values()) {
                MemoryDelivery copy = delivery.copy();
                deliveries.add(copy.snapshot());
                maxDeliveryId = Math.max(maxDeliveryId, copy.deliveryId);
            }
            sessions.add(new StoredSessionState(data.session, List.copyOf(data.subscriptions.values()), deliveries,
                    List.copyOf(data.inboundQos2)));
        }
        List<ApplicationMessage> retained = retainedByTopic.values().stream().filter(m -> !m.isExpired(now)).toList();
        StoredState state = new StoredState(sessions, retained, List.copyOf(willsByClient.values()), expired);
        return new InMemoryPersistence(state, Math.max(maxDeliveryId + 1, nextDeliveryId.get()));
    }

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
        throw new StoreException("cannot back up to " + target + ": persistence is off, nothing is stored on disk");
    }

    @Override
    public StoreStatistics statistics() {
        long count = writes.get();
        return new StoreStatistics(count, count, 0, 0, 0, 0);
    }

    @Override
    public String describe() {
        return "memory only (persistence false): nothing survives a restart";
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private synchronized CompletableFuture<Void> write(Runnable change) {
        if (closed) {
            return CompletableFuture.failedFuture(new StoreException("the store is closed"));
        }
        writes.incrementAndGet();
        change.run();
        return CompletableFuture.completedFuture(null);
    }

    private ClientData client(String clientId) {
        return clients.computeIfAbsent(clientId, id -> new ClientData());
    }

    /** Everything stored under one client id; {@code session} is null until a record is put. */
    private static final class ClientData {
        StoredSession session;
        final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
        final TreeMap<Long, MemoryDelivery> deliveries = new TreeMap<>();
        final TreeSet<Integer> inboundQos2 = new TreeSet<>();
    }

    private static final class MemoryDelivery implements DeliveryHandle {
        final String clientId;
        final long deliveryId;
        final int qos;
        final int[] subscriptionIds;
        final SharedGroup sharedGroup;
        // Guarded by the store's monitor.
        ApplicationMessage message;
        int packetId;
        DeliveryState state;

        MemoryDelivery(String clientId, long deliveryId, ApplicationMessage message, int qos, int[] subscriptionIds,
                       SharedGroup sharedGroup, int packetId) {
            this.clientId = clientId;
            this.deliveryId = deliveryId;
            this.message = message;
            this.qos = qos;
            this.subscriptionIds = subscriptionIds.clone();
            this.sharedGroup = sharedGroup;
            this.packetId = packetId;
            this.state = packetId == 0 ? DeliveryState.QUEUED : DeliveryState.IN_FLIGHT;
        }

        @Override
        public String clientId() {
            return clientId;
        }

        @Override
        public long deliveryId() {
            return deliveryId;
        }

        MemoryDelivery copy() {
            MemoryDelivery copy = new MemoryDelivery(clientId, deliveryId, message, qos, subscriptionIds, sharedGroup,
                    packetId);
            copy.state = state;
            return copy;
        }

        StoredDelivery snapshot() {
            return new StoredDelivery(this, message, qos, subscriptionIds.clone(), sharedGroup, packetId, state);
        }

        @Override
        public String toString() {
            return "delivery " + deliveryId + " to " + clientId;
        }
    }

    private final class Sessions implements SessionStore {

        @Override
        public CompletableFuture<Void> putSession(StoredSession session) {
            Objects.requireNonNull(session, "session");
            return write(() -> client(session.clientId()).session = session);
        }

        @Override
        public CompletableFuture<Void> removeSession(String clientId) {
            return write(() -> clients.remove(clientId));
        }

        @Override
        public CompletableFuture<Void> putSubscription(Subscription subscription) {
            return write(() -> client(subscription.clientId()).subscriptions.put(subscription.clientFilter(),
                    subscription));
        }

        @Override
        public CompletableFuture<Void> removeSubscription(String clientId, String clientFilter) {
            return write(() -> {
                ClientData data = clients.get(clientId);
                if (data != null) {
                    data.subscriptions.remove(clientFilter);
                }
            });
        }
    }

    private final class Messages implements MessageStore {

        @Override
        public Appended append(String clientId, ApplicationMessage message, int qos, int[] subscriptionIds,
                               SharedGroup sharedGroup, int packetId) {
            Objects.requireNonNull(message, "message");
            MemoryDelivery delivery = new MemoryDelivery(clientId, nextDeliveryId.getAndIncrement(), message, qos,
                    subscriptionIds, sharedGroup, packetId);
            return new Appended(delivery, write(() -> client(clientId).deliveries.put(delivery.deliveryId, delivery)));
        }

        @Override
        public CompletableFuture<Void> markInflight(DeliveryHandle delivery, int packetId) {
            MemoryDelivery stored = (MemoryDelivery) delivery;
            return write(() -> {
                if (isLive(stored)) {
                    stored.packetId = packetId;
                    stored.state = DeliveryState.IN_FLIGHT;
                }
            });
        }

        @Override
        public CompletableFuture<Void> markReleased(DeliveryHandle delivery) {
            MemoryDelivery stored = (MemoryDelivery) delivery;
            return write(() -> {
                if (isLive(stored)) {
                    stored.message = null;
                    stored.state = DeliveryState.RELEASED;
                }
            });
        }

        @Override
        public CompletableFuture<Void> remove(DeliveryHandle delivery) {
            MemoryDelivery stored = (MemoryDelivery) delivery;
            return write(() -> {
                ClientData data = clients.get(stored.clientId);
                if (data != null) {
                    data.deliveries.remove(stored.deliveryId, stored);
                }
            });
        }

        private boolean isLive(MemoryDelivery delivery) {
            ClientData data = clients.get(delivery.clientId);
            return data != null && data.deliveries.get(delivery.deliveryId) == delivery;
        }

        @Override
        public CompletableFuture<Void> addInboundQos2(String clientId, int packetId) {
            return write(() -> client(clientId).inboundQos2.add(packetId));
        }

        @Override
        public CompletableFuture<Void> removeInboundQos2(String clientId, int packetId) {
            return write(() -> {
                ClientData data = clients.get(clientId);
                if (data != null) {
                    data.inboundQos2.remove(packetId);
                }
            });
        }
    }

    private final class Retained implements RetainedStore {

        @Override
        public CompletableFuture<Void> put(ApplicationMessage message) {
            if (message.payloadSize() == 0) {
                return remove(message.topic());
            }
            return write(() -> retainedByTopic.put(message.topic(), message));
        }

        @Override
        public CompletableFuture<Void> remove(String topic) {
            return write(() -> retainedByTopic.remove(topic));
        }
    }

    private final class Wills implements WillStore {

        @Override
        public CompletableFuture<Void> putWill(String clientId, ApplicationMessage will, long publishAtMillis) {
            StoredWill stored = new StoredWill(clientId, will, publishAtMillis);
            return write(() -> willsByClient.put(clientId, stored));
        }

        @Override
        public CompletableFuture<Void> removeWill(String clientId) {
            return write(() -> willsByClient.remove(clientId));
        }
    }
}
