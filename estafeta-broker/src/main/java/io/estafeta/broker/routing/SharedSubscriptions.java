package io.estafeta.broker.routing;

/**
 * The syntax of MQTT 5 shared subscriptions, {@code $share/{ShareName}/{filter}} (4.8.2).
 */
public final class SharedSubscriptions {

    public static final String PREFIX = "$share/";

    private SharedSubscriptions() {
    }

    /** A parsed shared subscription filter. */
    public record SharedFilter(String shareName, String topicFilter) {
    }

    public static boolean isShared(String filter) {
        return filter.startsWith(PREFIX);
    }

    /**
     * Splits a {@code $share/...} filter, or returns null if it is not a valid one: the ShareName must
     * be at least one character without '/', '+' or '#' ([MQTT-4.8.2-1], [MQTT-4.8.2-2]) and be
     * followed by '/' and a topic filter.
     */
    public static SharedFilter parse(String filter) {
        int nameEnd = filter.indexOf('/', PREFIX.length());
        if (nameEnd <= PREFIX.length() || nameEnd == filter.length() - 1) {
            return null;
        }
        String shareName = filter.substring(PREFIX.length(), nameEnd);
        if (shareName.indexOf('+') >= 0 || shareName.indexOf('#') >= 0) {
            return null;
        }
        return new SharedFilter(shareName, filter.substring(nameEnd + 1));
    }
}
