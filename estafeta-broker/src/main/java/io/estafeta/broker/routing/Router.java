package io.estafeta.broker.routing;

import io.estafeta.broker.auth.AllowAllAuthorizer;
import io.estafeta.broker.auth.Authorizer;
import io.estafeta.broker.auth.ServerTopicRules;
import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.retain.RetainedMessages;
import io.estafeta.broker.store.NoPersistence;
import io.estafeta.broker.store.RetainedStore;
import io.estafeta.broker.store.StoreWrites;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Routes a published message to every client whose subscriptions match its topic, and keeps the
 * retained store up to date. Runs on the publisher's event loop; takes no lock but a topic's retain lock
 * (see {@link #retain}).
 */
public final class Router {

    /** Per thread, reused: client id -> what its matching subscriptions add up to. */
    private static final FastThreadLocal<Map<String, Target>> TARGETS = new FastThreadLocal<>() {
        @Override
        protected Map<String, Target> initialValue() {
            return new HashMap<>();
        }
    };
    /** Per thread, reused: shared subscription group -> its members matching the topic. */
    private static final FastThreadLocal<Map<SharedGroup, List<Subscription>>> GROUPS = new FastThreadLocal<>() {
        @Override
        protected Map<SharedGroup, List<Subscription>> initialValue() {
            return new HashMap<>();
        }
    };

    private static final String SYS_TOPICS = ServerTopicRules.SYS_PREFIX + "/";
    /** Locks for retaining, shared by the topics whose hash picks the same one; a power of two. */
    private static final int RETAIN_LOCK_STRIPES = 64;

    private final SubscriptionTree subscriptions;
    private final RetainedMessages retained;
    private final RetainedStore retainedStore;
    private final Function<String, ? extends MessageSink> sinks;
    private final Authorizer authorizer;
    private final Object[] retainLocks = new Object[RETAIN_LOCK_STRIPES];

    /**
     * @param retainedStore where retained messages are stored, besides {@code retained}
     * @param sinks         finds the sink (session) of a client id, or null when it has none
     * @param authorizer    decides whether each client may receive each message
     */
    public Router(SubscriptionTree subscriptions, RetainedMessages retained, RetainedStore retainedStore,
                  Function<String, ? extends MessageSink> sinks, Authorizer authorizer) {
        this.subscriptions = subscriptions;
        this.retained = retained;
        this.retainedStore = retainedStore;
        this.sinks = sinks;
        this.authorizer = authorizer;
        for (int i = 0; i < retainLocks.length; i++) {
            retainLocks[i] = new Object();
        }
    }

    /** A router whose retained messages are kept in memory only. */
    public Router(SubscriptionTree subscriptions, RetainedMessages retained,
                  Function<String, ? extends MessageSink> sinks, Authorizer authorizer) {
        this(subscriptions, retained, new NoPersistence().retained(), sinks, authorizer);
    }

    /** A router that lets every client receive every message it subscribed to. */
    public Router(SubscriptionTree subscriptions, RetainedMessages retained,
                  Function<String, ? extends MessageSink> sinks) {
        this(subscriptions, retained, sinks, new AllowAllAuthorizer());
    }

    /**
     * Publishes a message.
     *
     * @param publisher     the connection it came from, to pause if a subscriber is congested; null for
     *                      messages the broker publishes itself (wills)
     * @param publisherSink the publisher's own session, never paused on (it could not read the
     *                      acknowledgements that would drain it); may be null
     * @return how many clients it was handed to (internal subscribers not counted), and when it is durable
     *         for those that store it
     */
    public Routed publish(ApplicationMessage message, PausablePublisher publisher, MessageSink publisherSink) {
        CompletableFuture<Void> retainedWrite = message.retain() ? retain(message) : null;
        Map<String, Target> targets = TARGETS.get();
        Map<SharedGroup, List<Subscription>> groups = GROUPS.get();
        targets.clear();
        groups.clear();
        String publisherId = message.publisherId();
        subscriptions.match(message.topic(), subscription -> {
            if (subscription.isShared()) {
                groups.computeIfAbsent(new SharedGroup(subscription.shareName(), subscription.topicFilter()),
                        group -> new ArrayList<>()).add(subscription);
                return;
            }
            // [MQTT-3.8.3-3] No Local: not back to the client that published it.
            if (subscription.noLocal() && subscription.clientId().equals(publisherId)) {
                return;
            }
            targets.computeIfAbsent(subscription.clientId(), id -> new Target()).add(subscription);
        });
        if (targets.isEmpty() && groups.isEmpty()) {
            return retainedWrite == null ? Routed.NOTHING : Routed.of(0, retainedWrite);
        }
        // [MQTT-3.3.1-9] deliveries to established subscriptions carry RETAIN=0, unless the
        // subscription asked for Retain As Published ([MQTT-3.3.1-12]).
        ApplicationMessage live = message.withRetain(false);
        Delivery delivery = new Delivery(message, live, publisher, publisherSink);
        delivery.writes.add(retainedWrite);
        for (Map.Entry<String, Target> entry : targets.entrySet()) {
            Target target = entry.getValue();
            // One copy per client at the highest granted QoS ([MQTT-3.3.4-2]), capped by the
            // published QoS ([MQTT-3.8.4-6]), with every matching identifier ([MQTT-3.3.4-4]).
            delivery.to(entry.getKey(), target.qos, target.retainAsPublished, target.subscriptionIds(), null);
        }
        targets.clear();
        // Each shared subscription group gives its own copy to one of its members (4.8.2), besides
        // what that client gets through ordinary subscriptions.
        for (Map.Entry<SharedGroup, List<Subscription>> group : groups.entrySet()) {
            Subscription member = chooseMember(group.getValue());
            if (member != null) {
                delivery.to(member.clientId(), member.qos(), member.retainAsPublished(), idsOf(member), group.getKey());
            }
        }
        groups.clear();
        return delivery;
    }

    /**
     * Makes {@code message} its topic's retained message ([MQTT-3.3.1-5]), or removes the topic's retained
     * message if the payload is empty ([MQTT-3.3.1-10]), in memory and in the store, without delivering
     * it to anyone.
     *
     * @return when the store has it, or null for the broker's own {@code $SYS} topics, which are not stored
     */
    public CompletableFuture<Void> retain(ApplicationMessage message) {
        if (isBrokerStatus(message.topic())) {
            retained.put(message);
            return null;
        }
        // Two publishers retaining on one topic at once: memory and store must keep the same one of the
        // two, so both changes happen under one lock. The store only queues the write here; it never blocks.
        synchronized (retainLocks[message.topic().hashCode() & (RETAIN_LOCK_STRIPES - 1)]) {
            retained.put(message);
            return retainedStore.put(message);
        }
    }

    /**
     * The broker's own {@code $SYS} topics (clients may not publish there): recomputed when the broker
     * starts, so storing them would only be a synced write per topic every {@code sys_interval}.
     */
    private static boolean isBrokerStatus(String topic) {
        return topic.startsWith(SYS_TOPICS);
    }

    private static int[] idsOf(Subscription subscription) {
        return subscription.subscriptionId() == Subscription.NO_SUBSCRIPTION_ID
                ? MessageSink.NO_SUBSCRIPTION_IDS : new int[] {subscription.subscriptionId()};
    }

    /**
     * One PUBLISH being handed out: counts the copies, collects the store writes, and pauses the
     * publisher once if needed.
     */
    private final class Delivery implements Routed {
        private final ApplicationMessage asPublished;
        private final ApplicationMessage live;
        private final PausablePublisher publisher;
        private final MessageSink publisherSink;
        private final StoreWrites writes = new StoreWrites();
        private int count;
        private boolean paused;

        Delivery(ApplicationMessage asPublished, ApplicationMessage live, PausablePublisher publisher,
                 MessageSink publisherSink) {
            this.asPublished = asPublished;
            this.live = live;
            this.publisher = publisher;
            this.publisherSink = publisherSink;
        }

        void to(String clientId, int grantedQos, boolean retainAsPublished, int[] subscriptionIds, SharedGroup group) {
            MessageSink sink = sinks.apply(clientId);
            if (sink == null || !authorizer.canReceive(clientId, sink.username(), asPublished.topic())) {
                return;
            }
            writes.add(sink.offer(retainAsPublished ? asPublished : live, Math.min(asPublished.qos(), grantedQos),
                    subscriptionIds, group));
            // An operator watching live is not a subscriber the publisher should hear of (5.0: PUBACK 0x10).
            if (!InternalSubscribers.isInternal(clientId)) {
                count++;
            }
            if (publisher != null && sink != publisherSink && sink.isCongested()) {
                if (!paused) {
                    publisher.pauseReading();
                    paused = true;
                }
                sink.addPausedPublisher(publisher);
            }
        }

        @Override
        public int deliveredTo() {
            return count;
        }

        @Override
        public CompletableFuture<Void> durable() {
            return writes.whenDurable();
        }
    }

    /**
     * A member of a shared subscription group went away without acknowledging a message the group
     * had given it: give it to another member, if there is one (4.8.2).
     */
    public void redeliverShared(ApplicationMessage message, SharedGroup group, String formerMember) {
        List<Subscription> members = new ArrayList<>();
        subscriptions.forEachWithFilter(group.topicFilter(), subscription -> {
            if (group.shareName().equals(subscription.shareName()) && !subscription.clientId().equals(formerMember)) {
                members.add(subscription);
            }
        });
        Subscription member = chooseMember(members);
        if (member == null) {
            return;
        }
        new Delivery(message, message.withRetain(false), null, null)
                .to(member.clientId(), member.qos(), member.retainAsPublished(), idsOf(member), group);
    }

    /**
     * One member of a shared subscription group: a random one among those online and not congested,
     * else among those online, else among all (an offline persistent member queues it).
     */
    private Subscription chooseMember(List<Subscription> members) {
        int count = members.size();
        if (count == 0) {
            return null;
        }
        int start = ThreadLocalRandom.current().nextInt(count);
        Subscription online = null;
        Subscription any = null;
        for (int i = 0; i < count; i++) {
            Subscription candidate = members.get((start + i) % count);
            MessageSink sink = sinks.apply(candidate.clientId());
            if (sink == null) {
                continue;
            }
            if (sink.isOnline()) {
                if (!sink.isCongested()) {
                    return candidate;
                }
                online = online == null ? candidate : online;
            }
            any = any == null ? candidate : any;
        }
        return online != null ? online : any;
    }

    /**
     * Hands the retained messages matching a new subscription to the subscriber, with RETAIN=1
     * ([MQTT-3.3.1-6], [MQTT-3.3.1-8]). Not for shared subscriptions (MQTT 5.0, 4.8.2: retained
     * messages are not sent to a session when it subscribes to a shared subscription).
     */
    public void deliverRetained(Subscription subscription, MessageSink subscriber) {
        if (subscription.isShared()) {
            return;
        }
        int[] ids = idsOf(subscription);
        long now = System.currentTimeMillis();
        retained.forEachMatching(subscription.topicFilter(), message -> {
            if (!message.isExpired(now)
                    && authorizer.canReceive(subscription.clientId(), subscriber.username(), message.topic())) {
                subscriber.offer(message.withRetain(true), Math.min(message.qos(), subscription.qos()), ids);
            }
        });
    }

    /** The matching subscriptions of one client, merged. */
    private static final class Target {
        int qos = -1;
        boolean retainAsPublished;
        int[] ids = MessageSink.NO_SUBSCRIPTION_IDS;

        void add(Subscription subscription) {
            qos = Math.max(qos, subscription.qos());
            retainAsPublished |= subscription.retainAsPublished();
            if (subscription.subscriptionId() != Subscription.NO_SUBSCRIPTION_ID) {
                ids = Arrays.copyOf(ids, ids.length + 1);
                ids[ids.length - 1] = subscription.subscriptionId();
            }
        }

        int[] subscriptionIds() {
            return ids;
        }
    }
}
