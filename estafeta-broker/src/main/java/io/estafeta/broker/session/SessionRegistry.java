package io.estafeta.broker.session;

import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.metrics.BrokerMetrics;
import io.estafeta.broker.routing.SharedGroup;
import io.estafeta.broker.routing.SubscriptionTree;
import io.estafeta.broker.store.NoPersistence;
import io.estafeta.broker.store.Persistence;
import io.estafeta.broker.store.StoredSessionState;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Every session by client id. Claiming an id is atomic per id, so two connections with the same
 * client id racing each other end with exactly one owner; routing reads the map without locks.
 */
public final class SessionRegistry implements SessionOwner {

    private static final Logger LOG = LoggerFactory.getLogger(SessionRegistry.class);

    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final SessionLimits limits;
    private final SubscriptionTree subscriptionTree;
    private final BrokerMetrics metrics;
    private final Persistence store;
    private volatile SharedRedelivery sharedRedelivery = (message, group, former) -> { };

    /** Sessions kept in memory only ({@code persistence false}). */
    public SessionRegistry(SessionLimits limits, SubscriptionTree subscriptionTree, BrokerMetrics metrics) {
        this(limits, subscriptionTree, metrics, new NoPersistence());
    }

    /** Sessions whose persistent ones are written to {@code store}. */
    public SessionRegistry(SessionLimits limits, SubscriptionTree subscriptionTree, BrokerMetrics metrics,
                           Persistence store) {
        this.limits = limits;
        this.subscriptionTree = subscriptionTree;
        this.metrics = metrics;
        this.store = store;
    }

    /**
     * Brings back a session the store held when the broker started: offline until its client
     * connects again. Call before any listener accepts connections.
     */
    public void restore(StoredSessionState state, EventLoop loop, long nowMillis) {
        Session session = new Session(state.clientId(), state.session().expiryIntervalSeconds(), limits,
                subscriptionTree, metrics, loop, this, store);
        session.restore(state, nowMillis);
        sessions.put(state.clientId(), session);
    }

    /**
     * A will the store held for a restored session: scheduled for when it is due.
     *
     * @return false if the session is not here (its will is due at once)
     */
    public boolean restoreWill(String clientId, ApplicationMessage will, long publishAtMillis,
                               Consumer<ApplicationMessage> publisher) {
        Session session = sessions.get(clientId);
        if (session == null) {
            return false;
        }
        session.restoreWill(will, publishAtMillis, publisher);
        return true;
    }

    /** Where messages orphaned by a shared subscription member go (the router, once it exists). */
    public interface SharedRedelivery {
        void redeliver(ApplicationMessage message, SharedGroup group, String formerMember);
    }

    public void onSharedMessageOrphaned(SharedRedelivery redelivery) {
        this.sharedRedelivery = redelivery;
    }

    @Override
    public void sharedMessageOrphaned(ApplicationMessage message, SharedGroup group, String formerMember) {
        sharedRedelivery.redeliver(message, group, formerMember);
    }

    /**
     * The outcome of claiming a client id.
     *
     * @param session        the session the new connection will attach to
     * @param generation     this claim's number, to detect a later claim overtaking it
     * @param sessionPresent whether a stored session is resumed (CONNACK's Session Present flag)
     * @param replaced       a previous session that must end before the new one is used, or null
     */
    public record Claim(Session session, int generation, boolean sessionPresent, Session replaced) {
    }

    /**
     * Claims the session for a client id. With Clean Session (3.1.1) or Clean Start (5.0) = 0 an
     * existing session that outlives its connections is resumed ([MQTT-3.1.2-4]); otherwise a new
     * session replaces whatever was there ([MQTT-3.1.2-6]).
     *
     * @param expiryIntervalSeconds how long the session outlives this connection: 0 for a 3.1.1 clean
     *                              session, {@link Session#NEVER_EXPIRES} for a 3.1.1 persistent one
     */
    public Claim claim(String clientId, boolean cleanStart, long expiryIntervalSeconds, EventLoop loop) {
        Claim[] result = new Claim[1];
        sessions.compute(clientId, (id, existing) -> {
            if (existing != null && !cleanStart && existing.isPersistent() && !existing.isEnded()) {
                existing.setExpiryInterval(expiryIntervalSeconds);
                result[0] = new Claim(existing, existing.claim(), true, null);
                return existing;
            }
            Session fresh = new Session(id, expiryIntervalSeconds, limits, subscriptionTree, metrics, loop, this, store);
            result[0] = new Claim(fresh, fresh.claim(), false, existing);
            return fresh;
        });
        return result[0];
    }

    /** The session of a client id, or null. Lock-free. */
    public Session get(String clientId) {
        return sessions.get(clientId);
    }

    public int size() {
        return sessions.size();
    }

    public Collection<Session> sessions() {
        return sessions.values();
    }

    /**
     * A snapshot of every session, each taken on its own event loop; completes when all are in. Any thread,
     * never blocks.
     */
    public CompletableFuture<List<SessionSnapshot>> inspectAll() {
        List<CompletableFuture<SessionSnapshot>> parts = new ArrayList<>();
        for (Session session : sessions.values()) {
            parts.add(session.inspect());
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(done -> parts.stream().map(CompletableFuture::join).toList());
    }

    @Override
    public void sessionEnded(Session ended) {
        sessions.remove(ended.clientId(), ended);
    }

    @Override
    public boolean removeIfStillExpired(Session session, int generationWhenScheduled) {
        boolean[] removed = new boolean[1];
        // Atomic with claim(): a claim bumps the generation and marks the session online.
        sessions.computeIfPresent(session.clientId(), (id, current) -> {
            if (current == session && !current.isOnline() && current.generation() == generationWhenScheduled) {
                removed[0] = true;
                return null;
            }
            return current;
        });
        return removed[0];
    }

    /**
     * Ends persistent sessions that have been offline longer than the expiry
     * ({@code persistent_client_expiration}). A session claimed meanwhile is kept.
     *
     * @return how many sessions were expired
     */
    public int expireOfflineSessions(Duration expiry, long nowMillis) {
        int expired = 0;
        for (Session candidate : sessions.values()) {
            if (!isExpired(candidate, expiry, nowMillis)) {
                continue;
            }
            boolean[] removed = new boolean[1];
            // Atomic with claim(): a session claimed meanwhile is online again and stays.
            sessions.computeIfPresent(candidate.clientId(), (id, current) -> {
                if (current == candidate && isExpired(current, expiry, nowMillis)) {
                    removed[0] = true;
                    return null;
                }
                return current;
            });
            if (removed[0]) {
                LOG.info("persistent session of {} expired after {} offline", candidate.clientId(), expiry);
                candidate.execute(candidate::end);
                expired++;
            }
        }
        return expired;
    }

    private static boolean isExpired(Session session, Duration expiry, long nowMillis) {
        return session.isPersistent() && !session.isOnline()
                && nowMillis - session.offlineSinceMillis() >= expiry.toMillis();
    }
}
