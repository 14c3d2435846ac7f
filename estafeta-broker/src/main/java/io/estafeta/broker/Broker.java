package io.estafeta.broker;

import io.estafeta.broker.auth.Authenticator;
import io.estafeta.broker.auth.Authorizer;
import io.estafeta.broker.auth.spi.SecurityProviders;
import io.estafeta.broker.bridge.BridgeReceiveExemption;
import io.estafeta.broker.bridge.BridgeStatus;
import io.estafeta.broker.bridge.Bridges;
import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.config.ConfigException;
import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.http.HttpListener;
import io.estafeta.broker.http.HttpServices;
import io.estafeta.broker.metrics.BrokerMetrics;
import io.estafeta.broker.retain.RetainedMessages;
import io.estafeta.broker.routing.InternalSubscribers;
import io.estafeta.broker.routing.Router;
import io.estafeta.broker.routing.SubscriptionTree;
import io.estafeta.broker.session.SessionLimits;
import io.estafeta.broker.session.Session;
import io.estafeta.broker.session.SessionRegistry;
import io.estafeta.broker.store.Persistence;
import io.estafeta.broker.store.StoreException;
import io.estafeta.broker.store.StoredSessionState;
import io.estafeta.broker.store.StoredSession;
import io.estafeta.broker.store.StoredState;
import io.estafeta.broker.store.StoredWill;
import io.estafeta.broker.sys.SysTopics;
import io.estafeta.broker.transport.MqttServer;
import io.estafeta.broker.transport.WillPublisher;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The public face of the broker: what the command line and an embedding program see.
 *
 * <pre>{@code
 * try (Broker broker = Broker.builder().port(0).start()) {
 *     connect a client to broker.uri();   // tcp://127.0.0.1:PORT
 * }
 * }</pre>
 *
 * <p>{@link #builder()} covers what an embedding program usually sets; {@link #start(BrokerConfig)} takes a
 * complete configuration. See docs/EMBEDDING.md.
 */
public final class Broker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);
    /** MQTT over plain TCP, as Paho and the Estafeta client name it. */
    private static final String URI_SCHEME = "tcp://";
    private static final Duration LONGEST_EXPIRY_SWEEP_INTERVAL = Duration.ofMinutes(1);

    private final BrokerConfig config;
    private final BrokerMetrics metrics;
    private final SessionRegistry sessions;
    private final RetainedMessages retained;
    private final Persistence store;
    private final MqttServer server;
    private final List<InetSocketAddress> boundAddresses;
    private final HttpListener http;
    private final Bridges bridges;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The periodic publication of the $SYS topics; {@code null} with {@code sys_interval 0}. */
    private final ScheduledFuture<?> sysPublication;

    private Broker(BrokerConfig config) {
        this.config = config;
        Authenticator authenticator = authenticator(config);
        Authorizer authorizer = authorizer(config);
        this.metrics = new BrokerMetrics();
        this.store = openStore(config);
        try {
            SubscriptionTree subscriptions = new SubscriptionTree();
            this.retained = new RetainedMessages();
            this.sessions = new SessionRegistry(SessionLimits.from(config), subscriptions, metrics, store);
            // Internal subscribers (an operator watching a topic live) are found after sessions and may
            // receive whatever they subscribed to; clients are authorized as before.
            InternalSubscribers internalSubscribers = new InternalSubscribers(subscriptions);
            // The ACL does not restrict what a bridge's session receives (as in Mosquitto), nor an operator's
            // live view.
            Router router = new Router(subscriptions, retained, store.retained(),
                    internalSubscribers.withSessions(sessions::get),
                    InternalSubscribers.exempting(BridgeReceiveExemption.wrap(authorizer, config.bridges())));
            sessions.onSharedMessageOrphaned(router::redeliverShared);
            MqttServer mqtt = new MqttServer(config, sessions, router, authenticator, authorizer, metrics);
            this.server = mqtt;
            try {
                // Everything stored is back before the first client can connect.
                restore(store.takeStoredState(), mqtt.wills());
            } catch (RuntimeException | Error e) {
                mqtt.close();
                throw e;
            }
            this.boundAddresses = List.copyOf(mqtt.bind(config.listeners()));
            this.http = startHttp(new HttpServices(config, BrokerVersion.current(), System.currentTimeMillis(),
                    boundAddresses, metrics, sessions, subscriptions, retained, router, internalSubscribers, store,
                    this::bridges));
            schedulePersistentSessionExpiry();
            this.bridges = startBridges(config, router);
            this.sysPublication = config.publishesSysTopics()
                    ? scheduleSysTopics(new SysTopics(metrics, sessions, subscriptions, retained, router,
                            System.currentTimeMillis()))
                    : null;
        } catch (RuntimeException | Error e) {
            store.close();
            throw e;
        }
    }

    /** Opens the store; an unusable data directory stops the broker with the path and the cause. */
    private static Persistence openStore(BrokerConfig config) {
        try {
            Persistence store = Persistence.open(config);
            LOG.info("persistence: {}", store.describe());
            return store;
        } catch (StoreException e) {
            throw new BrokerStartException(e.getMessage(), e);
        }
    }

    /** Brings back sessions, retained messages and pending wills from the store. */
    private void restore(StoredState state, WillPublisher wills) {
        long started = System.nanoTime();
        long now = System.currentTimeMillis();
        for (StoredSessionState session : state.sessions()) {
            sessions.restore(session, server.workers().next(), now);
        }
        for (ApplicationMessage message : state.retained()) {
            retained.put(message);
        }
        Map<String, String> usernamesOfExpired = new HashMap<>();
        for (StoredSession expired : state.expiredSessions()) {
            usernamesOfExpired.put(expired.clientId(), expired.username());
        }
        for (StoredWill will : state.wills()) {
            String clientId = will.clientId();
            Session session = sessions.get(clientId);
            boolean scheduled = session != null && sessions.restoreWill(clientId, will.will(), will.publishAtMillis(),
                    due -> wills.publish(due, clientId, session.username()));
            if (!scheduled) {
                // Its session expired while the broker was down: the session is over, so the will is due,
                // authorized as its client would have been.
                wills.publish(will.will(), clientId, usernamesOfExpired.get(clientId));
                store.wills().removeWill(clientId);
            }
        }
        if (!state.sessions().isEmpty() || !state.retained().isEmpty() || !state.wills().isEmpty()) {
            LOG.info("restored {} sessions, {} retained messages and {} pending wills in {} ms; {} sessions had"
                            + " expired", state.sessions().size(), state.retained().size(), state.wills().size(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), state.expiredSessions().size());
        }
    }

    /**
     * Starts a broker and returns once every listener is bound.
     *
     * @throws BrokerStartException if a listener cannot be bound, or the password or ACL file cannot be used;
     *                              nothing is left running then
     */
    public static Broker start(BrokerConfig config) {
        Broker broker = new Broker(config);
        for (InetSocketAddress address : broker.boundAddresses) {
            LOG.debug("listening on {}", address);
        }
        return broker;
    }

    /** A builder for a broker: port, configuration file or {@link BrokerConfig}, data directory. */
    public static BrokerBuilder builder() {
        return new BrokerBuilder();
    }

    /** The port of the first listener (port 0 in the configuration resolved to the one bound). */
    public int port() {
        return boundAddresses.get(0).getPort();
    }

    /**
     * Where a client on this machine reaches the first listener, e.g. {@code tcp://127.0.0.1:1883}: its
     * address, or the loopback address when it listens on every interface.
     */
    public String uri() {
        InetSocketAddress first = boundAddresses.get(0);
        InetAddress address = first.getAddress();
        if (address == null || address.isAnyLocalAddress()) {
            address = InetAddress.getLoopbackAddress();
        }
        String host = address.getHostAddress();
        if (address instanceof Inet6Address) {
            host = "[" + host + "]";
        }
        return URI_SCHEME + host + ":" + first.getPort();
    }

    /** The addresses the listeners are bound to, in configuration order (port 0 resolved). */
    public List<InetSocketAddress> boundAddresses() {
        return boundAddresses;
    }

    /** The configuration this broker runs with. */
    public BrokerConfig config() {
        return config;
    }

    /** The HTTP listener's bound address (see {@code http_listener}), or null when there is none. */
    public InetSocketAddress httpAddress() {
        return http == null ? null : http.address();
    }

    /** The broker's counters at this moment. */
    public BrokerMetrics.Snapshot metrics() {
        return metrics.snapshot();
    }

    /** How many sessions (connected or stored) the broker holds. */
    public int sessionCount() {
        return sessions.size();
    }

    /**
     * The state of each bridge ({@code connection} in the configuration), in configuration order: for
     * {@code $SYS} and the admin API. Empty without bridges.
     */
    public List<BridgeStatus> bridges() {
        // The HTTP listener starts before the bridges and may ask in between.
        return bridges == null ? List.of() : bridges.statuses();
    }

    /** How many retained messages the broker holds. */
    public int retainedMessageCount() {
        return retained.size();
    }

    /**
     * Shuts down cleanly: stops accepting, publishes the wills of connected clients as the
     * specification requires for a server-side close, closes every connection, frees the threads.
     * Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            // Bridges first: they say goodbye to their remotes and leave their sessions offline. Their
            // threads go last: the wills published while connections close may still reach those sessions.
            bridges.stop();
            if (sysPublication != null) {
                sysPublication.cancel(false);
            }
            if (http != null) {
                http.close();
            }
            server.close();
            bridges.close();
            // After the connections: their last writes (offline sessions, wills) must reach the store.
            store.close();
            LOG.debug("broker stopped");
        }
    }

    /** Starts the HTTP listener if one is configured; if it cannot start, the MQTT side is stopped again. */
    private HttpListener startHttp(HttpServices services) {
        if (config.http() == null) {
            return null;
        }
        try {
            return HttpListener.start(config.http(), services);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** After the listeners: a bridge's messages from the remote may be routed to clients at once. */
    private Bridges startBridges(BrokerConfig config, Router router) {
        try {
            return Bridges.start(config.bridges(), sessions, router, config.maxInflightMessages());
        } catch (SSLException | RuntimeException e) {
            if (http != null) {
                http.close();
            }
            server.close();
            throw new BrokerStartException("cannot start bridges: " + e.getMessage(), e);
        }
    }

    /** Reads the password file (if any) before anything starts, so that a bad one stops the broker. */
    private static Authenticator authenticator(BrokerConfig config) {
        try {
            return SecurityProviders.authenticator(config);
        } catch (ConfigException e) {
            throw new BrokerStartException(e.getMessage(), e);
        }
    }

    private static Authorizer authorizer(BrokerConfig config) {
        try {
            return SecurityProviders.authorizer(config);
        } catch (ConfigException e) {
            throw new BrokerStartException(e.getMessage(), e);
        }
    }

    /**
     * Publishes the $SYS topics once before the broker is handed out (so version and uptime are there from
     * the start, and the set of retained $SYS topics no longer changes), then every sys_interval on one
     * event loop (which the scheduling hands the publisher over to).
     */
    private ScheduledFuture<?> scheduleSysTopics(SysTopics topics) {
        topics.publish(System.currentTimeMillis());
        long intervalMillis = config.sysInterval().toMillis();
        return server.workers().next().scheduleAtFixedRate(() -> {
            try {
                topics.publish(System.currentTimeMillis());
            } catch (RuntimeException e) {
                // A failed round must not end the schedule (a thrown task is never run again).
                LOG.warn("could not publish the $SYS topics", e);
            }
        }, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    private void schedulePersistentSessionExpiry() {
        Duration expiry = config.persistentClientExpiration();
        if (expiry == null) {
            return;
        }
        long intervalMillis = Math.max(1, Math.min(expiry.toMillis() / 10, LONGEST_EXPIRY_SWEEP_INTERVAL.toMillis()));
        server.workers().next().scheduleAtFixedRate(
                () -> sessions.expireOfflineSessions(expiry, System.currentTimeMillis()),
                intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }
}
