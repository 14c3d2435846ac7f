package io.estafeta.broker.store;

import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.routing.SharedGroup;
import io.estafeta.broker.routing.Subscription;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * The store for {@code persistence false}: every write is done at once and kept nowhere, since the
 * sessions already hold their state in memory. Costs nothing on the hot path: no lock, no allocation.
 */
public final class NoPersistence implements Persistence {

    /** One completed future for every write: callers only read it. */
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    private static final DeliveryHandle NO_HANDLE = new DeliveryHandle() {
        @Override
        public String clientId() {
            return "";
        }

        @Override
        public long deliveryId() {
            return 0;
        }
    };
    private static final Appended APPENDED = new Appended(NO_HANDLE, DONE);

    private final StoredStateHandover openedWith = new StoredStateHandover(StoredState.EMPTY);

    @Override
    public StoredState takeStoredState() {
        return openedWith.take();
    }

    @Override
    public SessionStore sessions() {
        return SESSIONS;
    }

    @Override
    public MessageStore messages() {
        return MESSAGES;
    }

    @Override
    public RetainedStore retained() {
        return RETAINED;
    }

    @Override
    public WillStore wills() {
        return WILLS;
    }

    @Override
    public void checkpoint(Path target) throws StoreException {
        throw new StoreException("persistence is off: there is no store to back up");
    }

    @Override
    public StoreStatistics statistics() {
        return StoreStatistics.NONE;
    }

    @Override
    public String describe() {
        return "no persistence (persistence false): sessions and retained messages are lost when the broker stops";
    }

    @Override
    public void close() {
        // Nothing is held.
    }

    private static final SessionStore SESSIONS = new SessionStore() {
        @Override
        public CompletableFuture<Void> putSession(StoredSession session) {
            return DONE;
        }

        @Override
        public CompletableFuture<Void> removeSession(String clientId) {
            return DONE;
        }

        @Override
        public CompletableFuture<Void> putSubscription(Subscription subscription) {
            return DONE;
        }

        @Override
        public CompletableFuture<Void> removeSubscription(String clientId, String clientFilter) {
            return DONE;
        }
    };

    private static final MessageStore MESSAGES = new MessageStore() {
        @Override
        public Appended append(String clientId, ApplicationMessage message, int qos, int[] subscriptionIds,
                               SharedGroup sharedGroup, int packetId) {
            return APPENDED;
        }

        @Override
        public CompletableFuture<Void> markInflight(DeliveryHandle delivery, int packetId) {
            return DONE;
        }

        @Override
        public CompletableFuture<Void> markReleased(DeliveryHandle delivery) {
            return DONE;
        }

        @Override
        public CompletableFuture<Void> remove(DeliveryHandle delivery) {
            return DONE;
        }

        @Override
        public CompletableFuture<Void> addInboundQos2(String clientId, int packetId) {
            return DONE;
        }

        @Override
        public CompletableFuture<Void> removeInboundQos2(String clientId, int packetId) {
            return DONE;
        }
    };

    private static final RetainedStore RETAINED = new RetainedStore() {
        @Override
        public CompletableFuture<Void> put(ApplicationMessage message) {
            return DONE;
        }

        @Override
        public CompletableFuture<Void> remove(String topic) {
            return DONE;
        }
    };

    private static final WillStore WILLS = new WillStore() {
        @Override
        public CompletableFuture<Void> putWill(String clientId, ApplicationMessage will, long publishAtMillis) {
            return DONE;
        }

        @Override
        public CompletableFuture<Void> removeWill(String clientId) {
            return DONE;
        }
    };
}
