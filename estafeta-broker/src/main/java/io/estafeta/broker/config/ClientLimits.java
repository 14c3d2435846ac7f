package io.estafeta.broker.config;

/**
 * Per-client limits against abuse that are not about bytes or time: how long and how deep a topic may
 * be, and how many subscriptions one client may hold. Each has a safe default far above what real
 * applications use.
 *
 * @param maxTopicLength            UTF-8 bytes of a topic name or filter (the protocol allows 65,535)
 * @param maxTopicLevels            levels of a topic name or filter ("a/b/c" has 3)
 * @param maxSubscriptionsPerClient subscriptions one session may hold; 0 for no limit
 */
public record ClientLimits(int maxTopicLength, int maxTopicLevels, int maxSubscriptionsPerClient) {

    public static final int PROTOCOL_MAX_TOPIC_LENGTH = 65_535;
    public static final int DEFAULT_MAX_TOPIC_LEVELS = 128;
    public static final int DEFAULT_MAX_SUBSCRIPTIONS_PER_CLIENT = 10_000;
    public static final ClientLimits DEFAULTS = new ClientLimits(PROTOCOL_MAX_TOPIC_LENGTH, DEFAULT_MAX_TOPIC_LEVELS,
            DEFAULT_MAX_SUBSCRIPTIONS_PER_CLIENT);

    public ClientLimits {
        if (maxTopicLength < 1 || maxTopicLength > PROTOCOL_MAX_TOPIC_LENGTH) {
            throw new IllegalArgumentException("maxTopicLength must be in 1.." + PROTOCOL_MAX_TOPIC_LENGTH
                    + ": " + maxTopicLength);
        }
        if (maxTopicLevels < 1) {
            throw new IllegalArgumentException("maxTopicLevels must be at least 1: " + maxTopicLevels);
        }
        if (maxSubscriptionsPerClient < 0) {
            throw new IllegalArgumentException("maxSubscriptionsPerClient must be >= 0: " + maxSubscriptionsPerClient);
        }
    }

    /** Whether a topic name or filter is within the length and depth limits. */
    public boolean allowsTopic(String topic) {
        if (topic.length() > maxTopicLength) {
            // More UTF-16 chars than the byte limit means more bytes too (every char is >= 1 byte).
            return false;
        }
        int levels = 1;
        int bytes = 0;
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '/') {
                levels++;
            }
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return levels <= maxTopicLevels && bytes <= maxTopicLength;
    }

    /** Whether a client holding {@code held} subscriptions may add one more. */
    public boolean allowsAnotherSubscription(int held) {
        return maxSubscriptionsPerClient == 0 || held < maxSubscriptionsPerClient;
    }
}
