package io.estafeta.broker.routing;

import io.estafeta.protocol.Topics;

import java.util.Objects;

/**
 * One client's subscription to one topic filter, as the server granted it.
 *
 * <p>A client has at most one subscription per identical filter: [MQTT-3.8.4-3] a SUBSCRIBE with a
 * filter identical to an existing one replaces it. {@link SubscriptionTree} keys subscriptions by
 * {@code (clientId, topicFilter)} accordingly.
 *
 * @param clientId    the subscribing client's identifier
 * @param topicFilter the topic filter, valid by {@link Topics#isValidTopicFilter}
 * @param qos         the granted maximum QoS (0, 1 or 2)
 * @param noLocal     MQTT 5 No Local: never deliver the client's own messages ([MQTT-3.8.3-3])
 * @param retainAsPublished MQTT 5 Retain As Published: keep the RETAIN flag on live deliveries
 * @param subscriptionId MQTT 5 Subscription Identifier, or {@link #NO_SUBSCRIPTION_ID}
 * @param shareName   the group of a shared subscription ({@code $share/{shareName}/{topicFilter}}),
 *                    or null for an ordinary one
 */
public record Subscription(String clientId, String topicFilter, int qos, boolean noLocal,
                           boolean retainAsPublished, int subscriptionId, String shareName) {

    public static final int MIN_QOS = 0;
    public static final int MAX_QOS = 2;
    public static final int NO_SUBSCRIPTION_ID = 0;

    /** A subscription with MQTT 3.1.1 semantics: no options beyond the QoS. */
    public Subscription(String clientId, String topicFilter, int qos) {
        this(clientId, topicFilter, qos, false, false, NO_SUBSCRIPTION_ID, null);
    }

    public boolean isShared() {
        return shareName != null;
    }

    /** The filter as the client wrote it in SUBSCRIBE: what identifies the subscription in its session. */
    public String clientFilter() {
        return shareName == null ? topicFilter : SharedSubscriptions.PREFIX + shareName + "/" + topicFilter;
    }

    public Subscription {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(topicFilter, "topicFilter");
        if (qos < MIN_QOS || qos > MAX_QOS) {
            throw new IllegalArgumentException("granted qos must be 0, 1 or 2: " + qos);
        }
        // The tree stores filters level by level; a malformed one ("a#", "a/#/b") would be stored as
        // literal text and silently never match, so it must be refused by the SUBSCRIBE handler first.
        if (!Topics.isValidTopicFilter(topicFilter)) {
            throw new IllegalArgumentException("not a valid topic filter: " + topicFilter);
        }
    }
}
