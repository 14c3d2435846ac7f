package io.estafeta.broker.session;

import io.estafeta.broker.metrics.BrokerMetrics;
import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.routing.MessageSink;
import io.estafeta.broker.routing.PausablePublisher;
import io.estafeta.broker.routing.SharedGroup;
import io.estafeta.broker.routing.Subscription;
import io.estafeta.broker.routing.SubscriptionTree;
import io.estafeta.broker.store.Appended;
import io.estafeta.broker.store.DeliveryHandle;
import io.estafeta.broker.store.DeliveryState;
import io.estafeta.broker.store.Persistence;
import io.estafeta.broker.store.StoredDelivery;
import io.estafeta.broker.store.StoredSession;
import io.estafeta.broker.store.StoredSessionState;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.AbstractQueue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * One client's session: its subscriptions, the QoS 1/2 messages in flight to it, the messages queued
 * for it, and the QoS 2 packet identifiers it has sent us and not yet released.
 *
 * <p>Threading: all state is confined to one event loop, {@link #eventLoop()}, which is the loop of
 * the connection the session is attached to (or was last attached to). Other threads hand work over
 * with {@link #execute(Runnable)}; a takeover from a connection on another loop moves the session to
 * that loop, and work handed to the old loop follows it. Only the fields marked as such are read
 * from other threads.
 *
 * <p>Storage: a persistent session is <em>stored</em> from its first attach (or from the store, after a
 * restart) until it ends: every change to its record, subscriptions, messages and inbound QoS 2 packet
 * identifiers is written to the {@link Persistence} in the order it happens. The writes a client's
 * acknowledgement depends on return their future (see docs/PERSISTENCE.md).
 */
public final class Session implements MessageSink {

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final int MAX_PACKET_ID = 65535;

    /** Session Expiry Interval meaning "never expires" (MQTT 5.0, 3.1.2.11.2: 0xFFFFFFFF). */
    public static final long NEVER_EXPIRES = 0xFFFF_FFFFL;

    private final String clientId;
    private final SessionLimits limits;
    private final SubscriptionTree subscriptionTree;
    private final BrokerMetrics metrics;
    private final SessionOwner owner;
    private final Persistence store;

    // Read from other threads.
    /** Seconds the session outlives its connection: 0 ends it with the connection. */
    private volatile long expiryIntervalSeconds;
    private volatile EventLoop loop;
    private volatile boolean ended;
    private volatile boolean online;
    private volatile long offlineSinceMillis;
    private volatile String username;
    /** Whether the session has a record in the store (from its first persistent attach until it ends). */
    private volatile boolean stored;
    // Counters in fields of their own rather than AtomicIntegers: 16 bytes less each per session.
    private volatile int generation;
    /** QoS 1/2 messages handed to this session and not yet written or dropped: the congestion measure. */
    private volatile int backlog;
    /** Publishers paused for this session; created by the first one (any thread, see addPausedPublisher). */
    private volatile Queue<PausablePublisher> pausedPublishers;

    private static final AtomicIntegerFieldUpdater<Session> GENERATION =
            AtomicIntegerFieldUpdater.newUpdater(Session.class, "generation");
    private static final AtomicIntegerFieldUpdater<Session> BACKLOG =
            AtomicIntegerFieldUpdater.newUpdater(Session.class, "backlog");
    private static final VarHandle PAUSED_PUBLISHERS;

    static {
        try {
            PAUSED_PUBLISHERS = MethodHandles.lookup().findVarHandle(Session.class, "pausedPublishers", Queue.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Initial capacity of the queues below once created: a busy session grows them once. */
    private static final int SMALL_QUEUE_CAPACITY = 2;
    /**
     * Initial capacity of the subscriptions map: most clients subscribe to a filter or two, and a HashMap's
     * default table has 16 slots (80 bytes).
     */
    private static final int FEW_SUBSCRIPTIONS = 2;

    // Confined to the event loop. Idle sessions are many, and most never queue or send a QoS 1/2 message:
    // each collection starts as a shared empty one that refuses writes, and is created on its first write
    // (the writable...() methods).
    private SessionConnection connection;
    private int attachedGeneration;
    private Map<String, Subscription> subscriptions = Map.of();
    /** In send order (a LinkedHashMap once written). */
    private Map<Integer, InflightMessage> inflight = Map.of();
    private Queue<QueuedMessage> queue = NoMessages.instance();
    private long queuedBytes;
    private Set<Integer> inboundQos2 = Set.of();
    /** In-flight messages not written yet, in send order (see {@link InflightMessage#isHeldUntilStored}). */
    private Queue<InflightMessage> held = NoMessages.instance();
    private int nextPacketId = 1;
    /** In-flight messages from an earlier connection not yet re-sent on this one. */
    private int awaitingResend;
    private ScheduledFuture<?> expiryTimer;
    private DeferredWill deferredWill;
    /** In a run of QoS 0 messages dropped because the connection could not take more (logged once). */
    private boolean droppingForSlowClient;
    /** In a run of messages dropped because the queue was full (logged once). */
    private boolean droppingQueueFull;
    /** Hears how many messages wait each time one is queued while offline; null for nearly every session. */
    private IntConsumer offlineQueueWatcher;
    /** Keep QoS 0 messages while offline even without {@code queue_qos0_messages} (a lazy bridge's session). */
    private boolean queueQos0WhileOffline;

    Session(String clientId, long expiryIntervalSeconds, SessionLimits limits, SubscriptionTree subscriptionTree,
            BrokerMetrics metrics, EventLoop loop, SessionOwner owner, Persistence store) {
        this.clientId = clientId;
        this.expiryIntervalSeconds = expiryIntervalSeconds;
        this.limits = limits;
        this.subscriptionTree = subscriptionTree;
        this.metrics = metrics;
        this.loop = loop;
        this.owner = owner;
        this.store = store;
        this.offlineSinceMillis = System.currentTimeMillis();
    }

    public String clientId() {
        return clientId;
    }

    /** The session outlives its connections (Clean Session = 0, or a Session Expiry Interval > 0). */
    public boolean isPersistent() {
        return expiryIntervalSeconds > 0;
    }

    public long expiryIntervalSeconds() {
        return expiryIntervalSeconds;
    }

    /** The interval the current connection asked for, in CONNECT or DISCONNECT ([MQTT-3.1.2-11] 5.0). */
    public void setExpiryInterval(long seconds) {
        expiryIntervalSeconds = seconds;
    }

    public EventLoop eventLoop() {
        return loop;
    }

    public boolean isEnded() {
        return ended;
    }

    @Override
    public String username() {
        return username;
    }

    @Override
    public boolean isOnline() {
        return online;
    }

    long offlineSinceMillis() {
        return offlineSinceMillis;
    }

    int generation() {
        return generation;
    }

    /** A new connection claims this session; earlier claims still under way lose. Any thread. */
    int claim() {
        online = true;
        return GENERATION.incrementAndGet(this);
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
     * Hands a message to this session for delivery at the given QoS. Any thread. A QoS 1/2 message for a
     * stored session is appended to the store here, on the caller's thread, so that the publisher's
     * acknowledgement can wait for it.
     *
     * @return when the message is durable for this session, or null if it is not stored
     */
    @Override
    public CompletableFuture<Void> offer(ApplicationMessage message, int qos, int[] subscriptionIds,
                                         SharedGroup sharedGroup) {
        if (qos == 0) {
            execute(() -> deliver(message, qos, subscriptionIds, sharedGroup, null));
            return null;
        }
        BACKLOG.incrementAndGet(this);
        if (!isStoredAndPersistent()) {
            execute(() -> deliver(message, qos, subscriptionIds, sharedGroup, null));
            return null;
        }
        Appended appended = store.messages().append(clientId, message, qos, subscriptionIds, sharedGroup, 0);
        DeliveryHandle handle = appended.delivery();
        execute(() -> deliver(message, qos, subscriptionIds, sharedGroup, handle));
        return appended.durable();
    }

    private boolean isStoredAndPersistent() {
        return stored && expiryIntervalSeconds > 0;
    }

    /**
     * Whether this session is online and holds as many queued messages as it may: publishers feeding
     * it should pause. Any thread.
     */
    @Override
    public boolean isCongested() {
        return online && limits.maxQueuedMessages() > 0 && backlog >= limits.maxQueuedMessages();
    }

    /** Remembers a paused publisher, to resume it when this session drains or goes offline. Any thread. */
    @Override
    public void addPausedPublisher(PausablePublisher publisher) {
        Queue<PausablePublisher> paused = pausedPublishers;
        if (paused == null) {
            PAUSED_PUBLISHERS.compareAndSet(this, null, new ConcurrentLinkedQueue<PausablePublisher>());
            paused = pausedPublishers;
        }
        paused.add(publisher);
        // The session may have drained (or gone away) between the congestion check and now.
        execute(this::resumePublishersIfDrained);
    }

    private void deliver(ApplicationMessage message, int qos, int[] subscriptionIds, SharedGroup sharedGroup,
                         DeliveryHandle handle) {
        if (ended) {
            if (qos > 0) {
                BACKLOG.decrementAndGet(this);
                discard(handle);
                if (sharedGroup != null) {
                    owner.sharedMessageOrphaned(message, sharedGroup, clientId);
                }
            }
            return;
        }
        if (qos == 0) {
            deliverQos0(message, subscriptionIds);
            return;
        }
        if (connection == null && !isPersistent()) {
            // A clean session between claim and attach has no subscriptions of its own yet: what
            // reaches it matched its predecessor's, which are being removed.
            BACKLOG.decrementAndGet(this);
            discard(handle);
            return;
        }
        if (connection != null && queue.isEmpty() && inflight.size() < inflightLimit()) {
            BACKLOG.decrementAndGet(this);
            sendNew(message, qos, subscriptionIds, sharedGroup, handle);
            return;
        }
        enqueue(message, qos, subscriptionIds, sharedGroup, handle);
    }

    /** The session is done with a stored message without delivering it (dropped, expired, ended). */
    private void discard(DeliveryHandle handle) {
        if (handle != null) {
            store.messages().remove(handle);
        }
    }

    /** Ours and the client's limit on unacknowledged QoS 1/2 messages ([MQTT-3.3.4-9] 5.0). */
    private int inflightLimit() {
        return Math.min(limits.maxInflightMessages(), connection.receiveMaximum());
    }

    private void deliverQos0(ApplicationMessage message, int[] subscriptionIds) {
        if (message.isExpired(System.currentTimeMillis())) {
            return;
        }
        if (connection != null) {
            if (connection.isWritable()) {
                if (connection.sendPublish(message, 0, 0, false, message.retain(), subscriptionIds)) {
                    metrics.messageSent(0, message.payloadSize());
                }
                droppingForSlowClient = false;
            } else {
                metrics.qos0DroppedForSlowClient();
                logDrop(!droppingForSlowClient, "cannot take more (its socket is full): dropping QoS 0 messages"
                        + " to it until it catches up", "slowClient", message);
                droppingForSlowClient = true;
            }
        } else if (isPersistent() && (limits.queueQos0Messages() || queueQos0WhileOffline)) {
            BACKLOG.incrementAndGet(this);
            enqueue(message, 0, subscriptionIds, null, null);
        }
        // [MQTT-3.1.2-5] an offline session need not (and by default does not) keep QoS 0 messages.
    }

    private void enqueue(ApplicationMessage message, int qos, int[] subscriptionIds, SharedGroup sharedGroup,
                         DeliveryHandle handle) {
        boolean attached = connection != null;
        int messageLimit = attached ? limits.onlineHardLimit() : limits.maxQueuedMessages();
        long byteLimit = attached ? limits.onlineHardByteLimit() : limits.maxQueuedBytes();
        boolean full = queue.size() >= messageLimit
                || (byteLimit > 0 && queuedBytes + message.payloadSize() > byteLimit);
        if (full) {
            BACKLOG.decrementAndGet(this);
            discard(handle);
            metrics.droppedQueueFull();
            logDrop(!droppingQueueFull, "has a full queue (" + queue.size() + " messages, " + queuedBytes
                    + " bytes): dropping new messages to it (max_queued_messages, max_queued_bytes)", "queueFull",
                    message);
            droppingQueueFull = true;
            return;
        }
        droppingQueueFull = false;
        writableQueue().add(new QueuedMessage(message, qos, subscriptionIds, sharedGroup, handle));
        queuedBytes += message.payloadSize();
        if (!attached && offlineQueueWatcher != null) {
            offlineQueueWatcher.accept(waitingMessages());
        }
    }

    /**
     * A dropped message: the first of a run at INFO (what the operator needs to know), the rest of the run
     * at DEBUG, so that a client that stays behind does not flood the log. Counted in BrokerMetrics.
     */
    private void logDrop(boolean firstOfRun, String what, String cause, ApplicationMessage message) {
        LOG.atLevel(firstOfRun ? Level.INFO : Level.DEBUG)
                .setMessage("client {} {}; this one was on {}")
                .addArgument(clientId).addArgument(what).addArgument(message.topic())
                .addKeyValue("event", "dropped")
                .addKeyValue("clientId", clientId)
                .addKeyValue("cause", cause)
                .addKeyValue("topic", message.topic())
                .log();
    }

    private void sendNew(ApplicationMessage message, int qos, int[] subscriptionIds, SharedGroup sharedGroup,
                         DeliveryHandle handle) {
        if (message.isExpired(System.currentTimeMillis())) {
            discard(handle);
            return; // [MQTT-3.3.2-5] an expired message goes to no further subscriber
        }
        int packetId = allocatePacketId();
        boolean retain = message.retain();
        InflightMessage sent = new InflightMessage(packetId, message, qos, retain, subscriptionIds, sharedGroup, handle);
        writableInflight().put(packetId, sent);
        CompletableFuture<Void> packetIdStored = handle == null ? null
                : store.messages().markInflight(handle, packetId);
        if (qos == 2 && packetIdStored != null) {
            sent.setHeldUntilStored(true);
            writableHeld().add(sent);
            packetIdStored.whenComplete((done, failure) -> execute(() -> packetIdStored(sent, failure)));
            return;
        }
        // QoS 1: a restart before its packet id is durable re-sends it as new, a duplicate QoS 1 allows.
        if (held.isEmpty()) {
            writeInflight(sent, false);
        } else {
            sent.setHeldUntilStored(true);
            sent.setReadyToSend();
            writableHeld().add(sent); // behind a QoS 2 message still waiting: keep the order
        }
    }

    /** The packet id of a held QoS 2 message is durable: write what is ready, in order. Event loop. */
    private void packetIdStored(InflightMessage sent, Throwable failure) {
        if (failure != null) {
            LOG.warn("{}: could not store the packet id of a QoS 2 message, sending it anyway: {}", clientId,
                    failure.getMessage());
        }
        sent.setReadyToSend();
        boolean dropped = false;
        InflightMessage next;
        while ((next = held.peek()) != null && next.isReadyToSend()) {
            held.poll();
            if (!next.isHeldUntilStored() || inflight.get(next.packetId()) != next) {
                continue; // re-sent by a resumed connection, or gone with its session
            }
            next.setHeldUntilStored(false);
            if (connection != null && !next.isAwaitingResend()) {
                dropped |= !writeInflight(next, false);
            }
        }
        if (dropped) {
            drainQueue();
        }
    }

    /**
     * Writes an in-flight PUBLISH; one the client's Maximum Packet Size refuses counts as delivered
     * ([MQTT-3.1.2-25]) and is forgotten.
     *
     * @return whether it was written
     */
    private boolean writeInflight(InflightMessage sent, boolean dup) {
        if (connection.sendPublish(sent.message(), sent.qos(), sent.packetId(), dup, sent.retain(),
                sent.subscriptionIds())) {
            metrics.messageSent(sent.qos(), sent.message().payloadSize());
            return true;
        }
        forget(inflight.remove(sent.packetId()));
        return false;
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
        if (connection != null) {
            resendCarriedOver();
        }
        while (connection != null && !queue.isEmpty()) {
            QueuedMessage next = queue.peek();
            if (next.qos() > 0 && inflight.size() >= inflightLimit()) {
                break;
            }
            queue.poll();
            queuedBytes -= next.message().payloadSize();
            BACKLOG.decrementAndGet(this);
            if (next.qos() == 0) {
                deliverQos0(next.message(), next.subscriptionIds());
            } else {
                sendNew(next.message(), next.qos(), next.subscriptionIds(), next.sharedGroup(), next.stored());
            }
        }
        resumePublishersIfDrained();
    }

    private void resumePublishersIfDrained() {
        Queue<PausablePublisher> paused = pausedPublishers;
        if (paused == null || paused.isEmpty()) {
            return;
        }
        if (ended || connection == null || backlog <= limits.resumeThreshold()) {
            PausablePublisher publisher;
            while ((publisher = paused.poll()) != null) {
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
        forget(inflight.remove(packetId));
        drainQueue();
    }

    /** PUBREC from the client for an outgoing QoS 2 message: answer PUBREL ([MQTT-4.3.3-1]). */
    public void onPubrec(int packetId) {
        InflightMessage sent = inflight.get(packetId);
        if (sent == null || sent.qos() != 2) {
            LOG.debug("{}: PUBREC for unknown packet id {}", clientId, packetId);
        } else if (!sent.isReleased()) {
            sent.markReleased();
            if (sent.stored() != null) {
                store.messages().markReleased(sent.stored());
            }
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
        forget(inflight.remove(packetId));
        drainQueue();
    }

    private void forget(InflightMessage acknowledged) {
        if (acknowledged.isAwaitingResend()) {
            awaitingResend--;
        }
        discard(acknowledged.stored());
    }

    /**
     * An incoming QoS 2 PUBLISH: true if its packet id is new, i.e. the message must be routed;
     * false for a re-sent one already routed ([MQTT-4.3.3-2]: deliver once, until PUBREL).
     */
    public boolean registerInboundQos2(int packetId) {
        return writableInboundQos2().add(packetId);
    }

    /**
     * PUBREL from the client: its packet id may be reused for a new message.
     *
     * @return whether the packet id was awaiting release
     */
    public boolean releaseInboundQos2(int packetId) {
        return inboundQos2.contains(packetId) && inboundQos2.remove(packetId);
    }

    /**
     * Stores the packet id of an incoming QoS 2 message just registered, so that a restart does not
     * route the client's re-sent PUBLISH again.
     *
     * @return when it is durable, or null if this session is not stored
     */
    public CompletableFuture<Void> storeInboundQos2(int packetId) {
        return stored ? store.messages().addInboundQos2(clientId, packetId) : null;
    }

    /**
     * Stores the release of an incoming QoS 2 packet id, so that a restart does not take the client's
     * next message with that id for a re-sent one.
     *
     * @return when it is durable, or null if this session is not stored
     */
    public CompletableFuture<Void> storeInboundRelease(int packetId) {
        return stored ? store.messages().removeInboundQos2(clientId, packetId) : null;
    }

    /**
     * Runs {@code writes} so that the store writes this thread requests meanwhile (for this session and
     * the sessions a message is routed to) are stored as one: all of them survive a crash, or none.
     */
    public void atomically(Runnable writes) {
        if (stored) {
            store.atomically(writes);
        } else {
            writes.run();
        }
    }

    public boolean hasInboundQos2(int packetId) {
        return inboundQos2.contains(packetId);
    }

    /** Incoming QoS 2 messages not yet released: what counts against our Receive Maximum. */
    public int inboundQos2Count() {
        return inboundQos2.size();
    }

    // ---------------------------------------------------------------- subscriptions (event loop)

    /**
     * What a SUBSCRIBE or UNSUBSCRIBE of one filter changed.
     *
     * @param existed whether a subscription with that filter existed before
     * @param durable when the change is in the store, or null if there is nothing to wait for (a session
     *                that is not stored, or nothing changed)
     */
    public record SubscriptionChange(boolean existed, CompletableFuture<Void> durable) {

        private static final SubscriptionChange NOTHING_TO_REMOVE = new SubscriptionChange(false, null);
    }

    /** Adds or replaces ([MQTT-3.8.4-3]) the subscription for its filter, and stores it if the session is stored. */
    public SubscriptionChange subscribe(Subscription subscription) {
        Subscription previous = writableSubscriptions().put(subscription.clientFilter(), subscription);
        subscriptionTree.subscribe(subscription);
        return new SubscriptionChange(previous != null,
                stored ? store.sessions().putSubscription(subscription) : null);
    }

    /**
     * Removes the subscription for a filter, from the store too if the session is stored.
     *
     * @param clientFilter the filter as the client wrote it ({@code $share/...} for a shared one)
     */
    public SubscriptionChange unsubscribe(String clientFilter) {
        if (!subscriptions.containsKey(clientFilter)) {
            return SubscriptionChange.NOTHING_TO_REMOVE;
        }
        Subscription removed = subscriptions.remove(clientFilter);
        subscriptionTree.unsubscribe(clientId, removed.shareName(), removed.topicFilter());
        return new SubscriptionChange(true, stored ? store.sessions().removeSubscription(clientId, clientFilter) : null);
    }

    /** @param clientFilter the filter as the client wrote it ({@code $share/...} for a shared one) */
    public boolean hasSubscription(String clientFilter) {
        return subscriptions.containsKey(clientFilter);
    }

    public int subscriptionCount() {
        return subscriptions.size();
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
            if (ended || claimGeneration != generation) {
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
        if (ended || claimGeneration != generation || !loop.inEventLoop()) {
            return false;
        }
        username = newConnection.username();
        closeCurrentConnectionForTakeover();
        cancelExpiryTimer();
        if (deferredWill != null) {
            // [MQTT-3.1.3-9] (5.0) resumed before the Will Delay Interval passed: no will.
            deferredWill.cancel();
            deferredWill = null;
            forgetStoredWill();
        }
        connection = newConnection;
        attachedGeneration = claimGeneration;
        online = true;
        if (stored || isPersistent()) {
            // From now on every change is stored; a resumed session updates its expiry and username.
            stored = true;
            store.sessions().putSession(storedRecord(StoredSession.ONLINE));
        }
        return true;
    }

    private StoredSession storedRecord(long offlineSince) {
        return new StoredSession(clientId, expiryIntervalSeconds, offlineSince, username);
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
            sent.setAwaitingResend(true);
        }
        awaitingResend = inflight.size();
        held.clear(); // all of it goes out again in order, as re-deliveries
        drainQueue();
    }

    /**
     * Re-sends what an earlier connection left in flight, in order, as far as the client's Receive
     * Maximum allows on this connection (4.9: the quota starts again with each connection).
     */
    private void resendCarriedOver() {
        if (awaitingResend == 0) {
            return;
        }
        int outstanding = 0;
        for (InflightMessage sent : inflight.values()) {
            if (!sent.isAwaitingResend()) {
                outstanding++;
            }
        }
        long now = System.currentTimeMillis();
        Iterator<InflightMessage> resend = inflight.values().iterator();
        while (resend.hasNext() && outstanding < inflightLimit()) {
            InflightMessage sent = resend.next();
            if (!sent.isAwaitingResend()) {
                continue;
            }
            sent.setAwaitingResend(false);
            awaitingResend--;
            if (sent.isReleased()) {
                connection.sendPubrel(sent.packetId());
                outstanding++;
                continue;
            }
            // Written now, as a re-delivery: it must not go out a second time once its packet id is stored.
            sent.setHeldUntilStored(false);
            if (sent.message().isExpired(now)) {
                resend.remove();
                discard(sent.stored());
            } else if (connection.sendPublish(sent.message(), sent.qos(), sent.packetId(), true, sent.retain(),
                    sent.subscriptionIds())) {
                metrics.messageSent(sent.qos(), sent.message().payloadSize());
                outstanding++;
            } else {
                resend.remove(); // [MQTT-3.1.2-25] too large for this client: counts as delivered
                discard(sent.stored());
            }
        }
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
        if (generation != attachedGeneration) {
            return; // a newer connection has already claimed the session
        }
        online = false;
        offlineSinceMillis = System.currentTimeMillis();
        if (!isPersistent()) {
            end();
            return;
        }
        if (stored) {
            store.sessions().putSession(storedRecord(offlineSinceMillis));
        }
        resumePublishersIfDrained();
        scheduleExpiry(offlineSinceMillis, offlineSinceMillis);
    }

    /** Starts the Session Expiry Interval of a session offline since {@code offlineSince}. */
    private void scheduleExpiry(long offlineSince, long nowMillis) {
        long expiry = expiryIntervalSeconds;
        if (expiry == NEVER_EXPIRES) {
            return;
        }
        long remainingMillis = Math.max(0, TimeUnit.SECONDS.toMillis(expiry) - (nowMillis - offlineSince));
        int scheduledFor = attachedGeneration;
        expiryTimer = loop.schedule(() -> expireIfStillOffline(scheduledFor), remainingMillis, TimeUnit.MILLISECONDS);
    }

    private void expireIfStillOffline(int scheduledFor) {
        expiryTimer = null;
        if (!ended && owner.removeIfStillExpired(this, scheduledFor)) {
            LOG.info("session of {} expired after {} s offline", clientId, expiryIntervalSeconds);
            end();
        }
    }

    private void cancelExpiryTimer() {
        if (expiryTimer != null) {
            expiryTimer.cancel(false);
            expiryTimer = null;
        }
    }

    /**
     * Holds a will back for its Will Delay Interval (MQTT 5): it is published when the delay passes or
     * the session ends, whichever comes first, unless a connection resumes the session before
     * ([MQTT-3.1.3-9]). Event loop.
     */
    public void deferWill(ApplicationMessage will, long delaySeconds, Consumer<ApplicationMessage> publisher,
                          int claimGeneration) {
        if (ended) {
            publisher.accept(will); // the session is already over: that is when the will goes out
            return;
        }
        if (claimGeneration != generation) {
            // A newer connection resumed the session before this one's close was handled: that is a
            // resume within the Will Delay Interval ([MQTT-3.1.3-9]), so no will.
            return;
        }
        long publishAt = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(delaySeconds);
        if (stored) {
            store.wills().putWill(clientId, will, publishAt);
        }
        scheduleWill(will, publishAt, publisher);
    }

    private void scheduleWill(ApplicationMessage will, long publishAtMillis, Consumer<ApplicationMessage> publisher) {
        if (deferredWill != null) {
            deferredWill.cancel();
        }
        DeferredWill deferred = new DeferredWill(will, publisher);
        long delayMillis = Math.max(0, publishAtMillis - System.currentTimeMillis());
        deferred.timer = loop.schedule(() -> {
            if (deferredWill == deferred) {
                deferredWill = null;
                deferred.publish();
                forgetStoredWill();
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
        deferredWill = deferred;
    }

    private void forgetStoredWill() {
        if (stored) {
            store.wills().removeWill(clientId);
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
        cancelExpiryTimer();
        ended = true;
        online = false;
        if (deferredWill != null) {
            DeferredWill pending = deferredWill;
            deferredWill = null;
            pending.cancel();
            pending.publish();
            forgetStoredWill();
        }
        for (Subscription subscription : subscriptions.values()) {
            subscriptionTree.unsubscribe(clientId, subscription.shareName(), subscription.topicFilter());
        }
        subscriptions = Map.of();
        handBackSharedMessages();
        BACKLOG.addAndGet(this, -queue.size());
        queue = NoMessages.instance();
        queuedBytes = 0;
        inflight = Map.of();
        held = NoMessages.instance();
        awaitingResend = 0;
        inboundQos2 = Set.of();
        if (stored) {
            stored = false;
            store.sessions().removeSession(clientId);
        }
        resumePublishersIfDrained();
        owner.sessionEnded(this);
    }

    /** Unacknowledged messages from shared subscriptions go back to their groups (4.8.2). */
    private void handBackSharedMessages() {
        for (InflightMessage sent : inflight.values()) {
            if (sent.sharedGroup() != null && !sent.isReleased()) {
                owner.sharedMessageOrphaned(sent.message(), sent.sharedGroup(), clientId);
            }
        }
        for (QueuedMessage waiting : queue) {
            if (waiting.sharedGroup() != null) {
                owner.sharedMessageOrphaned(waiting.message(), waiting.sharedGroup(), clientId);
            }
        }
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

    // ---------------------------------------------------------------- restart

    /**
     * Rebuilds this session from what the store held: offline, with its subscriptions in the tree, its
     * in-flight messages to be re-sent on the next connection (DUP, same packet ids) and its queue, and its
     * expiry running from when it went offline. Called once, before any connection can claim it.
     */
    void restore(StoredSessionState state, long nowMillis) {
        StoredSession record = state.session();
        stored = true;
        online = false;
        username = record.username();
        offlineSinceMillis = record.wasOnline() ? nowMillis : record.offlineSinceMillis();
        for (Subscription subscription : state.subscriptions()) {
            writableSubscriptions().put(subscription.clientFilter(), subscription);
            subscriptionTree.subscribe(subscription);
        }
        int lastPacketId = 0;
        for (StoredDelivery delivery : state.deliveries()) {
            if (delivery.state() == DeliveryState.QUEUED) {
                writableQueue().add(new QueuedMessage(delivery.message(), delivery.qos(), delivery.subscriptionIds(),
                        delivery.sharedGroup(), delivery.handle()));
                queuedBytes += delivery.message().payloadSize();
                BACKLOG.incrementAndGet(this);
                continue;
            }
            ApplicationMessage message = delivery.message();
            InflightMessage sent = new InflightMessage(delivery.packetId(), message, delivery.qos(),
                    message != null && message.retain(), delivery.subscriptionIds(), delivery.sharedGroup(),
                    delivery.handle());
            if (delivery.state() == DeliveryState.RELEASED) {
                sent.markReleased();
            }
            writableInflight().put(delivery.packetId(), sent);
            lastPacketId = delivery.packetId();
        }
        nextPacketId = lastPacketId == MAX_PACKET_ID ? 1 : lastPacketId + 1;
        if (!state.inboundQos2().isEmpty()) {
            writableInboundQos2().addAll(state.inboundQos2());
        }
        scheduleExpiry(offlineSinceMillis, nowMillis);
    }

    /** A will that was waiting for its delay when the broker stopped: it goes out when it is due. */
    void restoreWill(ApplicationMessage will, long publishAtMillis, Consumer<ApplicationMessage> publisher) {
        scheduleWill(will, publishAtMillis, publisher);
    }

    // ---------------------------------------------------------------- introspection

    /** What an operator sees of this session now. Event loop (see {@link #inspect()}). */
    private SessionSnapshot snapshot() {
        SessionConnection current = connection;
        return new SessionSnapshot(clientId, current != null, isPersistent(), expiryIntervalSeconds, username,
                current == null ? null : current.clientAddress(),
                current == null ? null : current.protocolVersion(),
                current == null ? offlineSinceMillis : current.connectedSinceMillis(),
                List.copyOf(subscriptions.values()), queue.size(), queuedBytes, inflight.size());
    }

    /** A snapshot of this session taken on its event loop. Any thread. */
    public CompletableFuture<SessionSnapshot> inspect() {
        CompletableFuture<SessionSnapshot> result = new CompletableFuture<>();
        execute(() -> result.complete(snapshot()));
        return result;
    }

    /**
     * Closes the client's connection at an operator's request, as the server: its will is published and a
     * persistent session stays. Any thread.
     *
     * @return whether a connection was attached (false: the client was not connected)
     */
    public CompletableFuture<Boolean> disconnectByAdministrator() {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        execute(() -> {
            SessionConnection current = connection;
            if (current == null) {
                result.complete(false);
                return;
            }
            LOG.info("client {}: disconnected by an administrator", current.describe());
            current.closeByAdministrator();
            result.complete(true);
        });
        return result;
    }

    /** Messages queued (not in flight). Event loop. */
    public int queuedMessages() {
        return queue.size();
    }

    /** Messages waiting for delivery: queued, and in flight (sent and not acknowledged, or to be re-sent). Event loop. */
    public int waitingMessages() {
        return queue.size() + inflight.size();
    }

    /**
     * While no connection is attached, tells {@code watcher} how many messages wait (see {@link #waitingMessages()})
     * each time one more is queued; null stops it. A lazy bridge connects on it. Event loop; the watcher is
     * called there, after the message was queued.
     */
    public void watchOfflineQueue(IntConsumer watcher) {
        this.offlineQueueWatcher = watcher;
    }

    /**
     * Queue QoS 0 messages while offline, whatever {@code queue_qos0_messages} says: a lazy bridge is offline by
     * design, and Mosquitto keeps them for it. Event loop.
     */
    public void queueQos0WhileOffline(boolean queue) {
        this.queueQos0WhileOffline = queue;
    }

    public int inflightMessages() {
        return inflight.size();
    }

    /** Packet ids of messages in flight, in send order (for tests and diagnostics). Event loop. */
    List<Integer> inflightPacketIds() {
        return new ArrayList<>(inflight.keySet());
    }

    // ---------------------------------------------------------------- collections created on first write

    private Map<String, Subscription> writableSubscriptions() {
        if (!(subscriptions instanceof HashMap)) {
            subscriptions = new HashMap<>(FEW_SUBSCRIPTIONS);
        }
        return subscriptions;
    }

    private Map<Integer, InflightMessage> writableInflight() {
        if (!(inflight instanceof LinkedHashMap)) {
            inflight = new LinkedHashMap<>();
        }
        return inflight;
    }

    private Queue<QueuedMessage> writableQueue() {
        if (!(queue instanceof ArrayDeque)) {
            queue = new ArrayDeque<>(SMALL_QUEUE_CAPACITY);
        }
        return queue;
    }

    private Queue<InflightMessage> writableHeld() {
        if (!(held instanceof ArrayDeque)) {
            held = new ArrayDeque<>(SMALL_QUEUE_CAPACITY);
        }
        return held;
    }

    private Set<Integer> writableInboundQos2() {
        if (!(inboundQos2 instanceof HashSet)) {
            inboundQos2 = new HashSet<>();
        }
        return inboundQos2;
    }

    @Override
    public String toString() {
        return "Session[" + clientId + ", expiry " + expiryIntervalSeconds + "s" + (online ? ", online" : "") + "]";
    }

    /** A will waiting for its delay. */
    private static final class DeferredWill {
        private final ApplicationMessage will;
        private final Consumer<ApplicationMessage> publisher;
        private ScheduledFuture<?> timer;

        DeferredWill(ApplicationMessage will, Consumer<ApplicationMessage> publisher) {
            this.will = will;
            this.publisher = publisher;
        }

        void publish() {
            publisher.accept(will);
        }

        void cancel() {
            if (timer != null) {
                timer.cancel(false);
            }
        }
    }

    /** The queue of a session that has never queued anything: always empty, and it refuses to be written. */
    private static final class NoMessages<E> extends AbstractQueue<E> {
        private static final NoMessages<Object> INSTANCE = new NoMessages<>();

        @SuppressWarnings("unchecked")
        static <E> Queue<E> instance() {
            return (Queue<E>) INSTANCE;
        }

        @Override
        public boolean offer(E element) {
            throw new UnsupportedOperationException("a shared empty queue: write to writableQueue()/writableHeld()");
        }

        @Override
        public E poll() {
            return null;
        }

        @Override
        public E peek() {
            return null;
        }

        @Override
        public Iterator<E> iterator() {
            return Collections.emptyIterator();
        }

        @Override
        public int size() {
            return 0;
        }
    }
}
