package io.estafeta.broker.routing;

import io.estafeta.broker.auth.Authorizer;
import io.estafeta.broker.auth.ReceiveExemption;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Subscribers inside the broker that are not MQTT clients: an operator watching a topic filter live through
 * the admin API. Each gets a subscriber id no MQTT client can have, subscriptions in the ordinary
 * {@link SubscriptionTree}, and a {@link MessageSink} the {@link Router} finds like a session.
 *
 * <p>The ids start with U+0000, which an MQTT client identifier cannot contain: a UTF-8 string in MQTT
 * must not include it ([MQTT-1.5.4-2]), and the decoder refuses a CONNECT that does. So an internal
 * subscriber never collides with a client, and the router's usual lookup (sessions first) costs one extra
 * map lookup only for these subscribers.
 */
public final class InternalSubscribers {

    private static final char MARK = '\u0000';
    /** The QoS granted to internal subscriptions: each message arrives with the QoS it was published with. */
    private static final int GRANTED_QOS = Subscription.MAX_QOS;

    private final SubscriptionTree subscriptions;
    private final Map<String, MessageSink> sinks = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong();

    public InternalSubscribers(SubscriptionTree subscriptions) {
        this.subscriptions = subscriptions;
    }

    /** Whether a subscriber id belongs to an internal subscriber. */
    public static boolean isInternal(String subscriberId) {
        return !subscriberId.isEmpty() && subscriberId.charAt(0) == MARK;
    }

    /**
     * The router's sink lookup: sessions first, then internal subscribers.
     *
     * @param sessions client id -> session, or null
     */
    public Function<String, MessageSink> withSessions(Function<String, ? extends MessageSink> sessions) {
        return id -> {
            MessageSink session = sessions.apply(id);
            return session != null || !isInternal(id) ? session : sinks.get(id);
        };
    }

    /**
     * The authorizer the router asks: internal subscribers act for an authenticated administrator and
     * receive whatever they subscribed to; everyone else is asked about as before.
     */
    public static Authorizer exempting(Authorizer clients) {
        return new ReceiveExemption(clients, InternalSubscribers::isInternal);
    }

    /**
     * Subscribes a new internal subscriber to a topic filter (not a shared one).
     *
     * @param name a word for logs and ids, e.g. "admin-watch"
     * @return its subscriber id, to {@link #remove} it
     * @throws IllegalArgumentException if the filter is not a valid topic filter
     */
    public String add(String name, String topicFilter, MessageSink sink) {
        String id = MARK + name + "-" + nextId.incrementAndGet();
        // Retain As Published: an operator sees the RETAIN flag each message was published with.
        Subscription subscription = new Subscription(id, topicFilter, GRANTED_QOS, false, true,
                Subscription.NO_SUBSCRIPTION_ID, null);
        sinks.put(id, sink);
        subscriptions.subscribe(subscription);
        return id;
    }

    /** Unsubscribes and forgets an internal subscriber. */
    public void remove(String id, String topicFilter) {
        subscriptions.unsubscribe(id, topicFilter);
        sinks.remove(id);
    }

    /** How many internal subscribers there are. */
    public int size() {
        return sinks.size();
    }
}
