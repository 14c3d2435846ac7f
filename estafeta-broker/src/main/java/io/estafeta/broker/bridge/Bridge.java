package io.estafeta.broker.bridge;

import io.estafeta.broker.config.BridgeConfig;
import io.estafeta.broker.config.BridgeTopic;
import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.routing.Router;
import io.estafeta.broker.routing.Subscription;
import io.estafeta.broker.session.Session;
import io.estafeta.broker.session.SessionRegistry;
import io.estafeta.broker.transport.Mqtt5Properties;
import io.estafeta.client.ClientEventLoops;
import io.estafeta.client.ConnAck;
import io.estafeta.client.ConnectionListener;
import io.estafeta.client.FirstAddressAvailableException;
import io.estafeta.client.MqttClient;
import io.estafeta.client.MqttClientOptions;
import io.estafeta.client.ReceivedMessage;
import io.estafeta.client.ReconnectPolicy;
import io.estafeta.client.ServerAddress;
import io.estafeta.client.SubAck;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption.RetainedHandlingPolicy;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One bridge: a client connection to the remote broker, and a persistent session on this broker that
 * holds the {@code out} subscriptions and queues their messages while the remote is unreachable.
 *
 * <p>Out: the session delivers to {@link BridgeConnection}, which publishes to the remote and acknowledges
 * the session when the remote has acknowledged. In: messages from the remote's subscriptions are routed
 * here, published as the session's client id (so that the session's No Local subscriptions do not send
 * them back), and acknowledged to the remote once routed.
 *
 * <p>When it connects follows {@code start_type}: {@code automatic} at once and after every loss (the client
 * reconnects); {@code lazy} only while more than {@code threshold} messages wait in the session, leaving after
 * {@code idle_timeout} without traffic; {@code once} at once, never again.
 *
 * <p>Threading: the client, the session and this object's mutable state share one event loop.
 */
final class Bridge {

    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);
    /** Notifications go out at QoS 1, retained, as in Mosquitto. */
    private static final int NOTIFICATION_QOS = 1;
    private static final int SUBACK_FAILURE = 0x80;

    private final BridgeConfig config;
    private final SessionRegistry sessions;
    private final Router router;
    private final BridgeTopics topics;
    private final ClientEventLoops loops;
    private final EventLoop loop;
    private final MqttClient client;
    private final BridgeConnection connection;
    private final ReconnectPolicy retryPolicy;
    private final BridgeConfig.Start start;
    private final IdleTimer idle;
    private final AtomicLong messagesOut = new AtomicLong();
    private final AtomicLong messagesIn = new AtomicLong();

    // Read from any thread (status).
    private volatile BridgeState state = BridgeState.CONNECTING;
    private volatile Instant since = Instant.now();
    private volatile String lastError;
    /** While {@link BridgeState#WAITING}: the session's waiting messages, as last counted. */
    private volatile int waitingMessages;

    // Confined to the loop.
    private Session session;
    private ServerAddress lastConnected;
    private ServerAddress attempting;
    private Duration lastRetryDelay;
    private ScheduledFuture<?> retry;
    private boolean stopping;

    Bridge(BridgeConfig config, SessionRegistry sessions, Router router, int maxInflight) throws SSLException {
        this.config = config;
        this.sessions = sessions;
        this.router = router;
        this.topics = new BridgeTopics(config.topics());
        this.start = config.start();
        this.retryPolicy = BridgeClientOptions.reconnectPolicy(config.restartTimeout());
        this.loops = ClientEventLoops.create(1);
        try {
            MqttClientOptions options = BridgeClientOptions.of(config, loops, maxInflight);
            this.client = new MqttClient(options);
            this.loop = client.eventLoop();
            this.idle = new IdleTimer(loop, start.idleTimeout());
            this.connection = new BridgeConnection(config.name(), loop, client, topics,
                    options.version() == MqttVersion.MQTT_5, maxInflight, messagesOut, idle);
        } catch (SSLException | RuntimeException e) {
            loops.close();
            throw e;
        }
        client.setMessageListener(this::received);
        client.setConnectionListener(new ConnectionListener() {
            @Override
            public void connected(ConnAck connAck) {
                onConnected(connAck);
            }

            @Override
            public void connectionLost(Throwable cause, boolean willReconnect) {
                onConnectionLost(cause);
            }
        });
    }

    String name() {
        return config.name();
    }

    /**
     * Claims the local session, subscribes the out topics, then connects to the remote broker (lazy: waits for
     * messages first). Any thread.
     */
    void start() {
        loop.execute(() -> {
            LOG.info("bridge {}: starting ({} topic lines, local client id {}, remote client id {}, addresses {}{},"
                            + " start_type {})", config.name(), config.topics().size(), config.localClientId(),
                    config.remoteClientId(), config.addresses(),
                    config.addresses().size() > 1 ? (config.roundRobin() ? ", round robin" : ", the first is the main one")
                            : "", start.type().directiveValue());
            publishLocalState(BridgeClientOptions.DISCONNECTED);
            claimSession(config.cleanSession(), () -> {
                subscribeLocally();
                // Offline until the remote accepts: deliveries wait in the session's queue.
                session.detach(connection);
                if (start.type() == BridgeConfig.StartType.LAZY) {
                    waitForMessages();
                } else {
                    connect();
                }
            });
        });
    }

    BridgeStatus status() {
        BridgeState current = state;
        return new BridgeStatus(config.name(), current, client.currentAddress(), config.remoteClientId(),
                config.localClientId(), since, lastError, messagesOut.get(), messagesIn.get(), start.type(),
                current == BridgeState.WAITING ? waitingMessages : 0);
    }

    /**
     * Says "0" on both sides, disconnects, and leaves the session (and what it queued) in the registry.
     * Waits a few seconds at most. Not on the bridge's loop.
     */
    void stop() {
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        loop.execute(() -> {
            stopping = true;
            idle.stop();
            if (retry != null) {
                retry.cancel(false);
            }
            CompletableFuture<Void> announced = CompletableFuture.completedFuture(null);
            if (state == BridgeState.CONNECTED && config.notifications() && !config.notificationsLocalOnly()) {
                announced = client.publish(config.notificationTopic(), BridgeClientOptions.DISCONNECTED,
                        MqttQoS.AT_LEAST_ONCE, true);
            }
            announced.handle((ignored, failure) -> client.disconnect())
                    .thenCompose(disconnected -> disconnected)
                    .whenComplete((ignored, failure) -> loop.execute(() -> {
                        if (session != null) {
                            Session held = session;
                            held.execute(() -> held.detach(connection));
                        }
                        publishLocalState(BridgeClientOptions.DISCONNECTED);
                        changeState(BridgeState.STOPPED);
                        LOG.info("bridge {}: stopped", config.name());
                        stopped.complete(null);
                    }));
        });
        try {
            stopped.get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("bridge {}: did not stop cleanly", config.name(), e);
        }
    }

    /**
     * Frees the bridge's thread. After {@link #stop()} and after the broker's connections are closed:
     * until then a message routed to the bridge's (offline) session still runs on that thread.
     */
    void release() {
        client.close();
        loops.close();
    }

    // ---- connection life cycle, on the loop ----

    private void connect() {
        if (stopping) {
            return;
        }
        attempting = client.currentAddress();
        client.connect().whenComplete((connAck, failure) -> {
            if (failure != null) {
                loop.execute(() -> connectFailed(failure));
            }
        });
    }

    /** A first connection (or a retry after one) failed: the client does not retry those itself. */
    private void connectFailed(Throwable failure) {
        if (stopping) {
            return;
        }
        Throwable cause = failure.getCause() != null && failure instanceof java.util.concurrent.CompletionException
                ? failure.getCause() : failure;
        lastError = cause.getMessage();
        if (start.type() == BridgeConfig.StartType.ONCE) {
            end("cannot connect to " + attempting + " (" + cause.getMessage() + ")");
            return;
        }
        Duration delay = retryPolicy.nextDelay(lastRetryDelay);
        lastRetryDelay = delay;
        LOG.info("bridge {}: cannot connect to {} ({}); next attempt to {} in {} ms", config.name(), attempting,
                cause.getMessage(), client.currentAddress(), delay.toMillis());
        changeState(BridgeState.CONNECTING);
        retry = loop.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void onConnected(ConnAck connAck) {
        if (stopping) {
            return;
        }
        lastRetryDelay = null;
        ServerAddress address = client.currentAddress();
        if (lastConnected != null && !lastConnected.equals(address)) {
            boolean backOnMain = !config.roundRobin() && address.equals(config.addresses().getFirst());
            LOG.info("bridge {}: {} from {} to {}", config.name(), backOnMain ? "back on the main address, switched"
                    : "failed over", lastConnected, address);
        }
        lastConnected = address;
        LOG.info("bridge {}: connected to {} as {} ({})", config.name(), address, config.remoteClientId(),
                connAck.sessionPresent() ? "remote session resumed" : "new remote session");
        changeState(BridgeState.CONNECTED);
        if (start.type() == BridgeConfig.StartType.LAZY) {
            idle.start(() -> session == null || session.waitingMessages() == 0, this::leaveWhileIdle);
        }
        if (!connAck.sessionPresent()) {
            subscribeRemotely();
        }
        if (config.notifications()) {
            if (!config.notificationsLocalOnly()) {
                client.publish(config.notificationTopic(), BridgeClientOptions.CONNECTED, MqttQoS.AT_LEAST_ONCE,
                        true);
            }
            publishLocalState(BridgeClientOptions.CONNECTED);
        }
        // Resume the local session on this connection: in-flight messages first, then the queue.
        claimSession(false, () -> session.resumeDelivery());
    }

    private void onConnectionLost(Throwable cause) {
        lastError = cause.getMessage();
        idle.stop();
        if (session != null) {
            Session held = session;
            held.execute(() -> held.detach(connection));
        }
        if (config.notifications()) {
            publishLocalState(BridgeClientOptions.DISCONNECTED);
        }
        if (cause instanceof FirstAddressAvailableException back) {
            // round_robin false: what was in flight stays in the session and goes to the main address.
            LOG.info("bridge {}: the main address {} accepts connections again: leaving {} for it", config.name(),
                    back.first(), back.left());
        }
        switch (start.type()) {
            case AUTOMATIC -> {
                if (!(cause instanceof FirstAddressAvailableException)) {
                    LOG.info("bridge {}: connection to {} lost ({}); reconnecting", config.name(), lastConnected,
                            cause.getMessage());
                }
                changeState(BridgeState.RECONNECTING);
            }
            case ONCE -> end("connection to " + lastConnected + " lost (" + cause.getMessage() + ")");
            case LAZY -> {
                if (cause instanceof FirstAddressAvailableException) {
                    changeState(BridgeState.RECONNECTING);
                    connect();
                } else {
                    LOG.info("bridge {}: connection to {} lost ({})", config.name(), lastConnected, cause.getMessage());
                    waitForMessages();
                }
            }
        }
    }

    /** start_type once: the one connection, or the one attempt, is over. */
    private void end(String why) {
        LOG.info("bridge {}: {}; not connecting again (start_type once)", config.name(), why);
        changeState(BridgeState.ENDED);
    }

    // ---- start_type lazy, on the loop ----

    /**
     * Not connected until more than {@code threshold} messages wait in the session for the remote broker (at
     * once if they already do). QoS 0 messages wait too, as Mosquitto keeps them for a lazy bridge.
     */
    private void waitForMessages() {
        changeState(BridgeState.WAITING);
        session.queueQos0WhileOffline(true);
        session.watchOfflineQueue(waiting -> {
            if (loop.inEventLoop()) {
                messagesWaiting(waiting);
            } else {
                loop.execute(() -> messagesWaiting(waiting));
            }
        });
        messagesWaiting(session.waitingMessages());
    }

    private void messagesWaiting(int waiting) {
        if (state != BridgeState.WAITING || stopping) {
            return;
        }
        if (waiting > start.threshold()) {
            LOG.info("bridge {}: {} messages wait for the remote broker (threshold {}): connecting (start_type lazy)",
                    config.name(), waiting, start.threshold());
            changeState(BridgeState.CONNECTING);
            connect();
        }
        // Written after the decision: whoever reads this count while WAITING sees the state it led to.
        waitingMessages = waiting;
    }

    /**
     * No message either way for idle_timeout, and none unacknowledged: disconnect until messages wait again.
     * The session goes offline first, so that nothing is handed to the client while it disconnects.
     */
    private void leaveWhileIdle() {
        if (stopping || state != BridgeState.CONNECTED) {
            return;
        }
        LOG.info("bridge {}: no message for {} s: disconnecting until more messages wait than the threshold ({})"
                + " (start_type lazy)", config.name(), start.idleTimeout().toSeconds(), start.threshold());
        session.detach(connection);
        CompletableFuture<Void> announced = CompletableFuture.completedFuture(null);
        if (config.notifications() && !config.notificationsLocalOnly()) {
            announced = client.publish(config.notificationTopic(), BridgeClientOptions.DISCONNECTED,
                    MqttQoS.AT_LEAST_ONCE, true);
        }
        announced.handle((ignored, failure) -> client.disconnect())
                .thenCompose(disconnected -> disconnected)
                .whenComplete((ignored, failure) -> loop.execute(() -> {
                    if (stopping) {
                        return;
                    }
                    publishLocalState(BridgeClientOptions.DISCONNECTED);
                    waitForMessages();
                }));
    }

    private void changeState(BridgeState next) {
        if (state != next) {
            state = next;
            since = Instant.now();
        }
    }

    // ---- the local session, on the loop ----

    /**
     * Claims the bridge's session as a connection would ([MQTT-3.1.4-2] takeover rules included), moves
     * it to the bridge's loop, attaches {@link #connection}, then runs {@code attached}.
     */
    private void claimSession(boolean cleanStart, Runnable attached) {
        SessionRegistry.Claim claim = sessions.claim(config.localClientId(), cleanStart, Session.NEVER_EXPIRES,
                loop);
        Runnable attach = () -> {
            Session claimed = claim.session();
            if (!claimed.attach(connection, claim.generation())) {
                LOG.warn("bridge {}: its local session was claimed by another connection", config.name());
                return;
            }
            session = claimed;
            connection.attachedTo(claimed);
            attached.run();
        };
        Runnable superseded = () -> LOG.warn("bridge {}: its local session was claimed by another connection",
                config.name());
        Runnable transfer = () -> claim.session().transferTo(loop, claim.generation(), attach, superseded);
        if (claim.replaced() != null) {
            claim.replaced().endThen(() -> loop.execute(transfer));
        } else {
            transfer.run();
        }
    }

    /**
     * The out topics as the session's subscriptions, with No Local (what the bridge itself brought in
     * does not go back out) and Retain As Published, as Mosquitto subscribes its bridges. Subscriptions a
     * resumed session holds from an older configuration are removed.
     */
    private void subscribeLocally() {
        Set<String> wanted = new HashSet<>();
        for (BridgeTopic topic : topics.outgoing()) {
            wanted.add(topic.localFilter());
            Subscription subscription = new Subscription(config.localClientId(), topic.localFilter(), topic.qos(),
                    true, true, Subscription.NO_SUBSCRIPTION_ID, null);
            // Not waited for: the bridge's forwarding does not depend on it, and a restart subscribes again.
            session.subscribe(subscription);
        }
        for (Subscription held : session.subscriptions()) {
            if (!wanted.contains(held.clientFilter())) {
                session.unsubscribe(held.clientFilter());
            }
        }
    }

    // ---- the remote side, on the loop ----

    private void subscribeRemotely() {
        List<io.estafeta.client.Subscription> wanted = topics.incoming().stream()
                // 5.0: No Local keeps the remote from sending back what this bridge published there.
                .map(topic -> new io.estafeta.client.Subscription(topic.remoteFilter(), MqttQoS.valueOf(topic.qos()),
                        true, true, RetainedHandlingPolicy.SEND_AT_SUBSCRIBE))
                .toList();
        if (wanted.isEmpty()) {
            return;
        }
        client.subscribe(wanted).whenComplete((subAck, failure) -> {
            if (failure != null) {
                LOG.warn("bridge {}: SUBSCRIBE on the remote broker failed: {}", config.name(), failure.getMessage());
            } else {
                reportRefused(wanted, subAck);
            }
        });
    }

    private void reportRefused(List<io.estafeta.client.Subscription> wanted, SubAck subAck) {
        List<Integer> codes = subAck.reasonCodes();
        for (int i = 0; i < codes.size() && i < wanted.size(); i++) {
            if (codes.get(i) >= SUBACK_FAILURE) {
                LOG.warn("bridge {}: the remote broker refused the subscription to {} (0x{})", config.name(),
                        wanted.get(i).filter(), Integer.toHexString(codes.get(i)));
            }
        }
    }

    /**
     * A message from the remote: routed here under its local topic, as the bridge's session. Returning
     * lets the client acknowledge it to the remote (QoS 1 PUBACK, QoS 2 PUBREC): after routing.
     */
    private void received(ReceivedMessage message) {
        idle.traffic();
        Optional<String> localTopic = topics.toLocal(message.topic());
        if (localTopic.isEmpty()) {
            LOG.debug("bridge {}: no incoming topic line takes {}", config.name(), message.topic());
            return;
        }
        long now = System.currentTimeMillis();
        ApplicationMessage routed = new ApplicationMessage(localTopic.get(), message.payload(), message.qos().value(),
                message.retain(), config.localClientId(), Mqtt5Properties.messageProperties(message.properties()),
                Mqtt5Properties.expiryDeadline(message.properties(), now));
        router.publish(routed, null, session);
        messagesIn.incrementAndGet();
    }

    /** The connection state on this broker, retained, as the bridge's own message. */
    private void publishLocalState(byte[] payload) {
        if (!config.notifications()) {
            return;
        }
        router.publish(new ApplicationMessage(config.notificationTopic(), payload, NOTIFICATION_QOS, true,
                config.localClientId()), null, session);
    }
}
