package io.estafeta.protocol;

/**
 * The rules of section 4.7 for topic names (what a PUBLISH is sent to) and topic filters (what a
 * SUBSCRIBE asks for), and the plain matcher between the two.
 *
 * <p>Everything here walks the characters once, with no regular expression, no {@code split} and no
 * allocation: these checks run for every PUBLISH and every SUBSCRIBE. The broker's subscription tree
 * and retained store match through their own tries; {@link #matches} is the reference they agree with
 * and the matcher for one-off checks (authorization rules, a single filter against a single topic).
 *
 * <p>Well-formed UTF-8 ([MQTT-1.5.3-1]) and the ban on U+0001..U+001F and U+007F..U+009F code points
 * that a receiver may enforce ([MQTT-1.5.3-2]) are checked by the decoder, not here.
 */
public final class Topics {

    /** A topic name or filter is a UTF-8 Encoded String: its length field is two bytes ([MQTT-1.5.3]). */
    public static final int MAX_TOPIC_BYTES = 65535;

    /** The topic level separator ([MQTT-4.7.1]). */
    public static final char LEVEL_SEPARATOR = '/';
    /** The multi-level wildcard: the whole last level of a filter ([MQTT-4.7.1-2]). */
    public static final char MULTI_LEVEL_WILDCARD = '#';
    /** The single-level wildcard: a whole level of a filter ([MQTT-4.7.1-3]). */
    public static final char SINGLE_LEVEL_WILDCARD = '+';
    /** Topics starting with this are the server's own ($SYS/...) and hidden from leading wildcards. */
    public static final char SERVER_TOPIC_PREFIX = '$';

    private static final char NULL_CHARACTER = '\u0000';
    /** Below this a char is one UTF-8 byte. */
    private static final char ONE_BYTE_LIMIT = 0x80;
    /** Below this (and at or above {@link #ONE_BYTE_LIMIT}) a char is two UTF-8 bytes. */
    private static final char TWO_BYTE_LIMIT = 0x800;
    private static final int TWO_BYTES = 2;
    private static final int THREE_BYTES = 3;
    /** A surrogate pair is one code point above U+FFFF: four UTF-8 bytes for the two chars. */
    private static final int SURROGATE_PAIR_BYTES = 4;
    /** No char takes more than three UTF-8 bytes (a pair's two chars take four). */
    private static final int MAX_BYTES_PER_CHAR = 3;

    private Topics() {
    }

    /**
     * Whether {@code topic} may be the Topic Name of a PUBLISH.
     *
     * <p>[MQTT-4.7.3-1] it is at least one character long; [MQTT-3.3.2-2] it contains no wildcard;
     * [MQTT-4.7.3-2] it contains no U+0000; and it fits a UTF-8 Encoded String. Empty levels, as in
     * {@code "a//b"}, {@code "/a"} or {@code "a/"}, are allowed ([MQTT-4.7.1-1] zero-length levels are
     * levels like any other).
     */
    public static boolean isValidTopicName(String topic) {
        if (!hasAllowedLength(topic)) {
            return false;
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == SINGLE_LEVEL_WILDCARD || c == MULTI_LEVEL_WILDCARD || c == NULL_CHARACTER) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code filter} may be the Topic Filter of a SUBSCRIBE or UNSUBSCRIBE.
     *
     * <p>[MQTT-4.7.3-1] it is at least one character long; [MQTT-4.7.1-2] {@code '#'} appears only as
     * the whole last level; [MQTT-4.7.1-3] {@code '+'} appears only as a whole level; [MQTT-4.7.3-2] it
     * contains no U+0000; and it fits a UTF-8 Encoded String. Shared subscriptions ({@code $share/...})
     * get no special treatment here.
     */
    public static boolean isValidTopicFilter(String filter) {
        if (!hasAllowedLength(filter)) {
            return false;
        }
        int last = filter.length() - 1;
        for (int i = 0; i <= last; i++) {
            char c = filter.charAt(i);
            if (c == NULL_CHARACTER) {
                return false;
            }
            boolean wholeLevel = (i == 0 || filter.charAt(i - 1) == LEVEL_SEPARATOR)
                    && (i == last || filter.charAt(i + 1) == LEVEL_SEPARATOR);
            if (c == SINGLE_LEVEL_WILDCARD && !wholeLevel) {
                return false;
            }
            if (c == MULTI_LEVEL_WILDCARD && !(wholeLevel && i == last)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the topic filter {@code filter} matches the topic name {@code topic}. Both are expected
     * to be valid; comparison is by chars, so case-sensitive ([MQTT-4.7.3-3]) and with no
     * normalisation ([MQTT-4.7.3-4]).
     *
     * <ul>
     *   <li>{@code '+'} matches exactly one level, which may be empty ([MQTT-4.7.1-3]);</li>
     *   <li>{@code '#'} matches any number of levels, including none: {@code "sport/#"} matches
     *       {@code "sport"} as well as {@code "sport/tennis"} ([MQTT-4.7.1-2]);</li>
     *   <li>[MQTT-4.7.2-1] a filter whose first character is a wildcard does not match a topic whose
     *       first character is {@code '$'}.</li>
     * </ul>
     */
    public static boolean matches(String filter, String topic) {
        int filterLength = filter.length();
        int topicLength = topic.length();
        if (filterLength > 0 && topicLength > 0 && isWildcard(filter.charAt(0))
                && topic.charAt(0) == SERVER_TOPIC_PREFIX) {
            return false;
        }
        int f = 0; // start of the current filter level
        int t = 0; // start of the current topic level
        boolean topicExhausted = false; // every topic level has been matched already
        while (true) {
            // The '#' level: the rest of the topic, including no more levels at all.
            if (f == filterLength - 1 && filter.charAt(f) == MULTI_LEVEL_WILDCARD) {
                return true;
            }
            if (topicExhausted) {
                return false;
            }
            if (f < filterLength && filter.charAt(f) == SINGLE_LEVEL_WILDCARD) {
                f++;
                while (t < topicLength && topic.charAt(t) != LEVEL_SEPARATOR) {
                    t++;
                }
            } else {
                while (f < filterLength && t < topicLength && filter.charAt(f) != LEVEL_SEPARATOR
                        && filter.charAt(f) == topic.charAt(t)) {
                    f++;
                    t++;
                }
                boolean filterLevelEnds = f == filterLength || filter.charAt(f) == LEVEL_SEPARATOR;
                boolean topicLevelEnds = t == topicLength || topic.charAt(t) == LEVEL_SEPARATOR;
                if (!filterLevelEnds || !topicLevelEnds) {
                    return false;
                }
            }
            // Both levels ended here: at a separator or at the end of the string.
            if (f == filterLength) {
                return t == topicLength;
            }
            f++;
            if (t == topicLength) {
                topicExhausted = true;
            } else {
                t++;
            }
        }
    }

    private static boolean isWildcard(char c) {
        return c == SINGLE_LEVEL_WILDCARD || c == MULTI_LEVEL_WILDCARD;
    }

    /** [MQTT-4.7.3-1] at least one character, and no more UTF-8 bytes than a length field can say. */
    private static boolean hasAllowedLength(String topicOrFilter) {
        if (topicOrFilter == null || topicOrFilter.isEmpty() || topicOrFilter.length() > MAX_TOPIC_BYTES) {
            return false;
        }
        if ((long) topicOrFilter.length() * MAX_BYTES_PER_CHAR <= MAX_TOPIC_BYTES) {
            return true; // cannot be too long whatever the characters are
        }
        return utf8Length(topicOrFilter) <= MAX_TOPIC_BYTES;
    }

    /**
     * The UTF-8 length of {@code s} without encoding it. A lone surrogate (malformed, rejected by the
     * decoder under [MQTT-1.5.3-1]) is counted as three bytes.
     */
    static int utf8Length(String s) {
        int bytes = 0;
        int length = s.length();
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < ONE_BYTE_LIMIT) {
                bytes++;
            } else if (c < TWO_BYTE_LIMIT) {
                bytes += TWO_BYTES;
            } else if (Character.isHighSurrogate(c) && i + 1 < length
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += SURROGATE_PAIR_BYTES;
                i++;
            } else {
                bytes += THREE_BYTES;
            }
        }
        return bytes;
    }
}
