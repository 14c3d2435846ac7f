package io.estafeta.broker.session;

import io.estafeta.broker.metrics.BrokerMetrics;
import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.routing.MessageSink;
import io.estafeta.broker.routing.PausablePublisher;
import io.estafeta.broker.routing.Subscription;
import io.estafeta.broker.routing.SubscriptionTree;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One client's session: its subscriptions, the QoS 1/2 messages in flight to it, the messages queued
 * for it, and the QoS 2 packet identifiers it has sent us and not yet released.
 *
 * <p>Threading: all state is confined to one event loop, {@link #eventLoop()}, which is the loop of
 * the connection the session is attached to (or was last attached to). Other threads hand work over
 * with {@link #execute(Runnable)}; a takeover from a connection on another loop moves the session to
 * that loop, and work handed to the old loop follows it. Only the fields marked as such are read
 * from other threads.
 */
public final class Session implements MessageSink {

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final int MAX_PACKET_ID = 65535;

    private final String clientId;
    private final boolean persistent;
    private final SessionLimits limits;
    private final SubscriptionTree subscriptionTree;
    private final BrokerMetrics metrics;
    private final Consumer<Session> onEnded;

    // Read from other threads.
    private volatile EventLoop loop;
    private volatile boolean ended;
    private volatile boolean online;
    private volatile long offlineSinceMillis;
    private final AtomicInteger generation = new AtomicInteger();
    /** QoS 1/2 messages handed to this session and not yet written or dropped: the congestion measure. */
    private final AtomicInteger backlog = new AtomicInteger();
    private final Queue<PausablePublisher> pausedPublishers = new ConcurrentLinkedQueue<>();

    // Confined to the event loop.
    private SessionConnection connection;
    private int attachedGeneration;
    private final Map<String, Subscription> subscriptions = new HashMap<>();
    private final LinkedHashMap<Integer, InflightMessage> inflight = new LinkedHashMap<>();
    private final ArrayDeque<QueuedMessage> queue = new ArrayDeque<>();
    private long queuedBytes;
    private final Set<Integer> inboundQos2 = new HashSet<>();
    private int nextPacketId = 1;

    Session(String clientId, boolean persistent, SessionLimits limits, SubscriptionTree subscriptionTree,
            BrokerMetrics metrics, EventLoop loop, Consumer<Session> onEnded) {
        this.clientId = clientId;
        this.persistent = persistent;
        this.limits = limits;
        this.subscriptionTree = subscriptionTree;
        this.metrics = metrics;
        this.loop = loop;
        this.onEnded = onEnded;
        this.offlineSinceMillis = System.currentTimeMillis();
    }

    public String clientId() {
        return clientId;
    }

    /** Clean Session = 0: the session outlives its connections. */
    public boolean isPersistent() {
        return persistent;
    }

    public EventLoop eventLoop() {
        return loop;
    }

    public boolean isEnded() {
        return ended;
    }

    public boolean isOnline() {
        return online;
    }

    long offlineSinceMillis() {
        return offlineSinceMillis;
    }

    int generation() {
        return generation.get();
    }

    /** A new connection claims this session; earlier claims still under way lose. Any thread. */
    int claim() {
        online = true;
        return generation.incrementAndGet();
    }

    /** Runs the task on the session's event loop, following the session if it moves. Any thread. */
    public void execute(Runnable task) {
        EventLoop current = loop;
        if (current.inEventLoop()) {
            task.run();
        } else {
            current.execute(() -> execute(task));
        }
    }

    // ---------------------------------------------------------------- delivery (any thread)

    /**
     * Hands a message to this session for delivery at the given QoS. Any thread.
     */
    @Override
    public void offer(ApplicationMessage message, int qos) {
        if (qos > 0) {
            backlog.incrementAndGet();
        }
        execute(() -> deliver(message, qos));
    }

    /**
     * Whether this session is online and holds as many queued messages as it may: publishers feeding
     * it should pause. Any thread.
     */
    @Override
    public boolean isCongested() {
        return online && limits.maxQueuedMessages() > 0 && backlog.get() >= limits.maxQueuedMessages();
    }

    /** Remembers a paused publisher, to resume it when this session drains or goes offline. Any thread. */
    @Override
    public void addPausedPublisher(PausablePublisher publisher) {
        pausedPublishers.add(publisher);
        // The session may have drained (or gone away) between the congestion check and now.
        execute(this::resumePublishersIfDrained);
    }

    private void deliver(ApplicationMessage message, int qos) {
        if (ended) {
            if (qos > 0) {
                backlog.decrementAndGet();
            }
            return;
        }
        if (qos == 0) {
            deliverQos0(message);
            return;
        }
        if (connection == null && !persistent) {
            // A clean session between claim and attach has no subscriptions of its own yet: what
            // reaches it matched its predecessor's, which are being removed.
            backlog.decrementAndGet();
            return;
        }
        if (connection != null && queue.isEmpty() && inflight.size() < limits.maxInflightMessages()) {
            backlog.decrementAndGet();
            sendNew(message, qos);
            return;
        }
        enqueue(message, qos);
    }

    private void deliverQos0(ApplicationMessage message) {
        if (connection != null) {
            if (connection.isWritable()) {
                connection.sendPublish(message, 0, 0, false, message.retain());
                metrics.messageSent();
            } else {
                metrics.qos0DroppedForSlowClient();
            }
        } else if (persistent && limits.queueQos0Messages()) {
            backlog.incrementAndGet();
            enqueue(message, 0);
        }
        // [MQTT-3.1.2-5] an offline session need not (and by default does not) keep QoS 0 messages.
    }

    private void enqueue(ApplicationMessage message, int qos) {
        boolean attached = connection != null;
        int messageLimit = attached ? limits.onlineHardLimit() : limits.maxQueuedMessages();
        long byteLimit = attached ? limits.onlineHardByteLimit() : limits.maxQueuedBytes();
        boolean full = queue.size() >= messageLimit
                || (byteLimit > 0 && queuedBytes + message.payloadSize() > byteLimit);
        if (full) {
            backlog.decrementAndGet();
            metrics.droppedQueueFull();
            LOG.debug("queue of {} is full ({} messages, {} bytes): dropped a message on {}",
                    clientId, queue.size(), queuedBytes, message.topic());
            return;
        }
        queue.add(new QueuedMessage(message, qos));
        queuedBytes += message.payloadSize();
    }

    private void sendNew(ApplicationMessage message, int qos) {
        int packetId = allocatePacketId();
        boolean retain = message.retain();
        inflight.put(packetId, new InflightMessage(packetId, message, qos, retain));
        connection.sendPublish(message, qos, packetId, false, retain);
        metrics.messageSent();
    }

    private int allocatePacketId() {
        // inflight.size() < maxInflightMessages <= 65535 guarantees a free identifier.
        while (true) {
            int candidate = nextPacketId;
            nextPacketId = candidate == MAX_PACKET_ID ? 1 : candidate + 1;
            if (!inflight.containsKey(candidate)) {
                return candidate;
            }
        }
    }

    private void drainQueue() {
        while (connection != null && !queue.isEmpty()) {
            QueuedMessage next = queue.peek();
            if (next.qos() > 0 && inflight.size() >= limits.maxInflightMessages()) {
                break;
            }
            queue.poll();
            queuedBytes -= next.message().payloadSize();
            backlog.decrementAndGet();
            if (next.qos() == 0) {
                connection.sendPublish(next.message(), 0, 0, false, next.message().retain());
                metrics.messageSent();
            } else {
                sendNew(next.message(), next.qos());
            }
        }
        resumePublishersIfDrained();
    }

    private void resumePublishersIfDrained() {
        if (pausedPublishers.isEmpty()) {
            return;
        }
        if (ended || connection == null || backlog.get() <= limits.resumeThreshold()) {
            PausablePublisher publisher;
            while ((publisher = pausedPublishers.poll()) != null) {
                publisher.resumeReading();
            }
        }
    }

    // ---------------------------------------------------------------- acknowledgements (event loop)

    /** PUBACK from the client for an outgoing QoS 1 message. */
    public void onPuback(int packetId) {
        InflightMessage sent = inflight.get(packetId);
        if (sent == null || sent.qos() != 1) {
            LOG.debug("{}: PUBACK for unknown packet id {}", clientId, packetId);
            return;
        }
        inflight.remove(packetId);
        drainQueue();
    }

    /** PUBREC from the client for an outgoing QoS 2 message: answer PUBREL ([MQTT-4.3.3-1]). */
    public void onPubrec(int packetId) {
        InflightMessage sent = inflight.get(packetId);
        if (sent == null || sent.qos() != 2) {
            LOG.debug("{}: PUBREC for unknown packet id {}", clientId, packetId);
        } else {
            sent.markReleased();
        }
        if (connection != null) {
            connection.sendPubrel(packetId);
        }
    }

    /** PUBCOMP from the client: the outgoing QoS 2 exchange is over. */
    public void onPubcomp(int packetId) {
        InflightMessage sent = inflight.get(packetId);
        if (sent == null || !sent.isReleased()) {
            LOG.debug("{}: PUBCOMP for unknown packet id {}", clientId, packetId);
            return;
        }
        inflight.remove(packetId);
        drainQueue();
    }

    /**
     * An incoming QoS 2 PUBLISH: true if its packet id is new, i.e. the message must be routed;
     * false for a re-sent one already routed ([MQTT-4.3.3-2]: deliver once, until PUBREL).
     */
    public boolean registerInboundQos2(int packetId) {
        return inboundQos2.add(packetId);
    }

    /** PUBREL from the client: its packet id may be reused for a new message. */
    public void releaseInboundQos2(int packetId) {
        inboundQos2.remove(packetId);
    }

    // ---------------------------------------------------------------- subscriptions (event loop)

    /** Adds or replaces ([MQTT-3.8.4-3]) the subscription for its filter. */
    public void subscribe(String topicFilter, int qos) {
        Subscription subscription = new Subscription(clientId, topicFilter, qos);
        subscriptions.put(topicFilter, subscription);
        subscriptionTree.subscribe(subscription);
    }

    /** @return whether a subscription existed */
    public boolean unsubscribe(String topicFilter) {
        if (subscriptions.remove(topicFilter) == null) {
            return false;
        }
        subscriptionTree.unsubscribe(clientId, topicFilter);
        return true;
    }

    public Collection<Subscription> subscriptions() {
        return List.copyOf(subscriptions.values());
    }

    // ---------------------------------------------------------------- connection life cycle (event loop)

    /**
     * Moves the session to a new connection's event loop, closing the connection it has (takeover,
     * [MQTT-3.1.4-2]), then runs {@code attachStep} on the new loop. If a later claim superseded this
     * one, runs {@code superseded} there instead. Any thread.
     */
    public void transferTo(EventLoop newLoop, int claimGeneration, Runnable attachStep, Runnable superseded) {
        execute(() -> {
            if (ended || claimGeneration != generation.get()) {
                newLoop.execute(superseded);
                return;
            }
            closeCurrentConnectionForTakeover();
            loop = newLoop;
            if (newLoop.inEventLoop()) {
                attachStep.run();
            } else {
                newLoop.execute(attachStep);
            }
        });
    }

    /**
     * Attaches the connection. Returns false if this claim was superseded meanwhile (the caller then
     * closes its connection). Event loop of the connection.
     */
    public boolean attach(SessionConnection newConnection, int claimGeneration) {
        if (ended || claimGeneration != generation.get() || !loop.inEventLoop()) {
            return false;
        }
        closeCurrentConnectionForTakeover();
        connection = newConnection;
        attachedGeneration = claimGeneration;
        online = true;
        return true;
    }

    /**
     * Starts delivering to the attached connection: first what was in flight, in the original order
     * and with the original packet identifiers, PUBLISH with DUP=1 or PUBREL ([MQTT-4.4.0-1]), then
     * the queue. Call after CONNACK was written.
     */
    public void resumeDelivery() {
        if (connection == null) {
            return;
        }
        for (InflightMessage sent : inflight.values()) {
            if (sent.isReleased()) {
                connection.sendPubrel(sent.packetId());
            } else {
                connection.sendPublish(sent.message(), sent.qos(), sent.packetId(), true, sent.retain());
                metrics.messageSent();
            }
        }
        drainQueue();
    }

    /**
     * The connection went away. A clean session ends with it ([MQTT-3.1.2-6]); a persistent one
     * stays, queueing what arrives. Event loop.
     */
    public void detach(SessionConnection closed) {
        if (connection != closed) {
            return;
        }
        connection = null;
        if (generation.get() == attachedGeneration) {
            online = false;
            offlineSinceMillis = System.currentTimeMillis();
        }
        if (!persistent) {
            end();
        } else {
            resumePublishersIfDrained();
        }
    }

    /**
     * Ends the session: its subscriptions leave the tree and its messages are discarded. Closes its
     * connection if it has one. Event loop.
     */
    public void end() {
        if (ended) {
            return;
        }
        closeCurrentConnectionForTakeover();
        ended = true;
        online = false;
        for (Subscription subscription : subscriptions.values()) {
            subscriptionTree.unsubscribe(clientId, subscription.topicFilter());
        }
        subscriptions.clear();
        backlog.addAndGet(-queue.size());
        queue.clear();
        queuedBytes = 0;
        inflight.clear();
        inboundQos2.clear();
        resumePublishersIfDrained();
        onEnded.accept(this);
    }

    /** Ends the session on its own loop, then runs {@code then} (any thread). */
    public void endThen(Runnable then) {
        execute(() -> {
            end();
            then.run();
        });
    }

    private void closeCurrentConnectionForTakeover() {
        if (connection != null) {
            SessionConnection previous = connection;
            connection = null;
            LOG.info("client {} taken over by a new connection: closing {}", clientId, previous.describe());
            previous.closeForTakeover();
        }
    }

    // ---------------------------------------------------------------- introspection

    /** Messages queued (not in flight). Event loop. */
    public int queuedMessages() {
        return queue.size();
    }

    public int inflightMessages() {
        return inflight.size();
    }

    /** Packet ids of messages in flight, in send order (for tests and diagnostics). Event loop. */
    List<Integer> inflightPacketIds() {
        return new ArrayList<>(inflight.keySet());
    }

    @Override
    public String toString() {
        return "Session[" + clientId + (persistent ? ", persistent" : ", clean") + (online ? ", online" : "") + "]";
    }
}
