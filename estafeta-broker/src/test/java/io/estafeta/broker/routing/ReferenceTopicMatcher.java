package io.estafeta.broker.routing;

import java.util.List;

/**
 * An independent, obviously correct matcher for tests: split both strings into levels and compare
 * level by level, recursively. Deliberately the opposite of the production code (which never
 * splits, never recurses), so that the two do not share mistakes.
 */
public final class ReferenceTopicMatcher {

    private ReferenceTopicMatcher() {
    }

    public static boolean matches(String filter, String topic) {
        List<String> filterLevels = List.of(filter.split("/", -1));
        List<String> topicLevels = List.of(topic.split("/", -1));
        String firstFilterLevel = filterLevels.get(0);
        boolean startsWithWildcard = firstFilterLevel.equals("+") || firstFilterLevel.equals("#");
        // [MQTT-4.7.2-1] wildcards at the start do not match topics starting with '$'.
        if (startsWithWildcard && topic.startsWith("$")) {
            return false;
        }
        return matchesFrom(filterLevels, 0, topicLevels, 0);
    }

    private static boolean matchesFrom(List<String> filter, int f, List<String> topic, int t) {
        if (f == filter.size()) {
            return t == topic.size();
        }
        if (filter.get(f).equals("#")) {
            return true; // the rest of the topic, which may be nothing at all ([MQTT-4.7.1-2])
        }
        if (t == topic.size()) {
            return false;
        }
        boolean levelMatches = filter.get(f).equals("+") || filter.get(f).equals(topic.get(t));
        return levelMatches && matchesFrom(filter, f + 1, topic, t + 1);
    }

    /** Every level prefix of a filter or topic: "a/b/c" gives "a", "a/b", "a/b/c" (one trie node each). */
    public static List<String> levelPrefixes(String topicOrFilter) {
        String[] levels = topicOrFilter.split("/", -1);
        String[] prefixes = new String[levels.length];
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < levels.length; i++) {
            if (i > 0) {
                prefix.append('/');
            }
            prefix.append(levels[i]);
            prefixes[i] = prefix.toString();
        }
        return List.of(prefixes);
    }
}
