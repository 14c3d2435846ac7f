package io.estafeta.broker.auth;

import io.estafeta.protocol.Topics;

/**
 * How two valid topic filters relate as sets of topic names: whether one holds every topic the other
 * matches, and whether they share any. What deciding a subscription against ACL filters needs.
 *
 * <p>Topics starting with {@code $} are matched only by filters starting with {@code $} ([MQTT-4.7.2-1]:
 * a leading wildcard does not match them; a literal first level must equal theirs), so a filter starting
 * with {@code $} and one that does not share no topic.
 *
 * <p>The zero-length topic, which MQTT forbids ([MQTT-4.7.3-1]), counts here as one empty level, as in
 * {@link Topics#matches}: {@code +/+/#} does not cover {@code /#}, because {@code /#} also matches it. The
 * answers can only differ from "valid topics only" around that topic, and then towards granting a
 * subscription.
 */
final class TopicFilterRelations {

    private static final String LEVEL_SEPARATOR = String.valueOf(Topics.LEVEL_SEPARATOR);
    private static final String SINGLE_LEVEL = String.valueOf(Topics.SINGLE_LEVEL_WILDCARD);
    private static final String MULTI_LEVEL = String.valueOf(Topics.MULTI_LEVEL_WILDCARD);

    private TopicFilterRelations() {
    }

    /** Whether every topic {@code inner} matches is matched by {@code outer}. */
    static boolean covers(String outer, String inner) {
        if (serverTopics(outer) != serverTopics(inner)) {
            return false;
        }
        String[] o = levels(outer);
        String[] i = levels(inner);
        for (int n = 0; ; n++) {
            // '#' matches the rest, including no further level: "a/#" covers "a" and "a/#".
            if (n < o.length && o[n].equals(MULTI_LEVEL)) {
                return true;
            }
            if (n == o.length || n == i.length) {
                return n == o.length && n == i.length;
            }
            if (i[n].equals(MULTI_LEVEL)) {
                return false;
            }
            if (o[n].equals(SINGLE_LEVEL)) {
                continue;
            }
            if (i[n].equals(SINGLE_LEVEL) || !o[n].equals(i[n])) {
                return false;
            }
        }
    }

    /** Whether some topic is matched by both filters. */
    static boolean intersect(String a, String b) {
        if (serverTopics(a) != serverTopics(b)) {
            return false;
        }
        String[] x = levels(a);
        String[] y = levels(b);
        for (int n = 0; ; n++) {
            if ((n < x.length && x[n].equals(MULTI_LEVEL)) || (n < y.length && y[n].equals(MULTI_LEVEL))) {
                return true;
            }
            if (n == x.length || n == y.length) {
                return n == x.length && n == y.length;
            }
            if (!x[n].equals(SINGLE_LEVEL) && !y[n].equals(SINGLE_LEVEL) && !x[n].equals(y[n])) {
                return false;
            }
        }
    }

    private static boolean serverTopics(String filter) {
        return filter.charAt(0) == Topics.SERVER_TOPIC_PREFIX;
    }

    private static String[] levels(String filter) {
        return filter.split(LEVEL_SEPARATOR, -1);
    }
}
