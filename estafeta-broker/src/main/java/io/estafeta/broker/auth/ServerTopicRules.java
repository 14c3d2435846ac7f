package io.estafeta.broker.auth;

import io.estafeta.protocol.Topics;

import java.util.Objects;

/**
 * The rules for the server's own topics that hold whatever back-end decides the rest, as in Mosquitto
 * (its {@code acl__check_dollar}):
 *
 * <ul>
 *   <li>no client publishes to a topic starting with {@code $SYS} (the broker's own statistics) or with
 *       {@code $share} (a subscription prefix, not a place for messages); like Mosquitto this looks at the
 *       start of the text, so {@code $SYSTEM/x} is refused as well; the exception, as in Mosquitto, is
 *       {@code $SYS/broker/connection/+/state}, where bridges from other brokers publish their state;</li>
 *   <li>a shared subscription {@code $share/GROUP/FILTER} is checked as a subscription to FILTER, the
 *       topics it can deliver; a malformed one (empty group, wildcard in the group, no filter) is
 *       refused;</li>
 *   <li>everything else, reading {@code $SYS} included, is for the wrapped authorizer (an ACL grants
 *       {@code $} topics only through lines that start with {@code $}).</li>
 * </ul>
 */
public final class ServerTopicRules implements Authorizer {

    /** The broker's own topics. */
    public static final String SYS_PREFIX = "$SYS";
    /** The shared-subscription prefix (MQTT 5, also accepted from 3.1.1 clients by Mosquitto). */
    public static final String SHARE_PREFIX = "$share";

    /** The one {@code $SYS} branch clients may publish to: bridges' connection state, as Mosquitto allows. */
    public static final String BRIDGE_STATE_TOPICS = SYS_PREFIX + "/broker/connection/+/state";

    private static final String SHARED_SUBSCRIPTION_PREFIX = SHARE_PREFIX + Topics.LEVEL_SEPARATOR;

    private final Authorizer delegate;

    public ServerTopicRules(Authorizer delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public boolean canPublish(String clientId, String username, String topic) {
        if (Topics.matches(BRIDGE_STATE_TOPICS, topic)) {
            // As in Mosquitto: a bridge from another broker announces its state here (notifications).
            return delegate.canPublish(clientId, username, topic);
        }
        if (topic.startsWith(SYS_PREFIX) || topic.startsWith(SHARE_PREFIX)) {
            return false;
        }
        return delegate.canPublish(clientId, username, topic);
    }

    @Override
    public boolean canSubscribe(String clientId, String username, String topicFilter) {
        if (!topicFilter.startsWith(SHARED_SUBSCRIPTION_PREFIX)) {
            return delegate.canSubscribe(clientId, username, topicFilter);
        }
        int groupStart = SHARED_SUBSCRIPTION_PREFIX.length();
        int groupEnd = topicFilter.indexOf(Topics.LEVEL_SEPARATOR, groupStart);
        if (groupEnd <= groupStart) {
            return false;
        }
        String group = topicFilter.substring(groupStart, groupEnd);
        String filter = topicFilter.substring(groupEnd + 1);
        if (group.indexOf(Topics.SINGLE_LEVEL_WILDCARD) >= 0 || group.indexOf(Topics.MULTI_LEVEL_WILDCARD) >= 0
                || !Topics.isValidTopicFilter(filter)) {
            return false;
        }
        return delegate.canSubscribe(clientId, username, filter);
    }

    @Override
    public boolean canReceive(String clientId, String username, String topic) {
        return delegate.canReceive(clientId, username, topic);
    }

    /** The authorizer these rules wrap. */
    public Authorizer delegate() {
        return delegate;
    }

    @Override
    public String toString() {
        return "ServerTopicRules[" + delegate + "]";
    }
}
