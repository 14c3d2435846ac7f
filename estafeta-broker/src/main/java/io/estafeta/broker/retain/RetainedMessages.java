package io.estafeta.broker.retain;

import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.protocol.Topics;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The retained messages: at most one per topic ([MQTT-3.3.1-5]), found by topic filter when a client
 * subscribes.
 *
 * <p>Topics are kept in a trie of topic levels, so a filter is answered by walking the levels it
 * names: {@code "a/b/c"} is three map lookups, {@code "a/+/c"} visits only the children of
 * {@code "a"}, and {@code "a/#"} only the subtree under {@code "a"}; other topics are never looked at.
 *
 * <p><b>Concurrency.</b> Reads ({@link #get}, {@link #forEachMatching}) take no lock. Retained
 * PUBLISHes arrive from every event loop, so writers do not share one lock either: each node has its
 * own monitor, held one at a time. A node is pruned when it has neither a message nor children; it
 * is marked {@code removed} under its monitor before it is detached from its parent, and a child is
 * only ever added under the parent's monitor while the parent is not removed. A writer that stores
 * into a node checks under that node's monitor that it is not removed, and walks again from the root
 * if it is. Hence a node that is not removed is still attached all the way up to the root, and a
 * message is never stored into a detached node.
 */
public final class RetainedMessages {

    private static final String SINGLE_LEVEL_WILDCARD = String.valueOf(Topics.SINGLE_LEVEL_WILDCARD);
    private static final String MULTI_LEVEL_WILDCARD = String.valueOf(Topics.MULTI_LEVEL_WILDCARD);

    private final Node root = new Node(null, "");
    private final AtomicInteger size = new AtomicInteger();

    /**
     * Retains {@code message} as the one message for its topic, replacing any earlier one
     * ([MQTT-3.3.1-5]). A message with an empty payload instead removes the topic's retained message
     * and is not itself retained ([MQTT-3.3.1-10], [MQTT-3.3.1-11]).
     */
    public void put(ApplicationMessage message) {
        Objects.requireNonNull(message, "message");
        if (message.payloadSize() == 0) {
            remove(message.topic());
            return;
        }
        while (!tryStore(message)) {
            // A node on the path was pruned while we walked it: walk again from the root.
        }
    }

    /** The message retained for exactly {@code topic}, or {@code null}. */
    public ApplicationMessage get(String topic) {
        Node node = find(topic);
        return node == null ? null : node.message;
    }

    /**
     * Calls {@code visitor} for every retained message whose topic matches {@code topicFilter}
     * (section 4.7, including [MQTT-4.7.2-1]: a filter starting with a wildcard does not match
     * topics starting with {@code '$'}). Never blocks; a concurrent put may or may not be seen.
     * {@code topicFilter} is expected to be valid ({@link Topics#isValidTopicFilter}).
     */
    public void forEachMatching(String topicFilter, Consumer<ApplicationMessage> visitor) {
        String[] levels = splitLevels(topicFilter);
        Deque<Position> toVisit = new ArrayDeque<>();
        toVisit.push(new Position(root, 0));
        while (!toVisit.isEmpty()) {
            Position position = toVisit.pop();
            Node node = position.node();
            int depth = position.depth();
            if (depth == levels.length) {
                visit(node, visitor);
                continue;
            }
            String level = levels[depth];
            boolean hideServerTopics = node == root; // [MQTT-4.7.2-1]
            if (level.equals(MULTI_LEVEL_WILDCARD)) {
                // '#' matches the parent level too: "a/#" matches "a" ([MQTT-4.7.1-2]).
                visitSubtree(node, hideServerTopics, visitor);
            } else if (level.equals(SINGLE_LEVEL_WILDCARD)) {
                node.children.forEach((childLevel, child) -> {
                    if (!(hideServerTopics && isServerLevel(childLevel))) {
                        toVisit.push(new Position(child, depth + 1));
                    }
                });
            } else {
                Node child = node.children.get(level);
                if (child != null) {
                    toVisit.push(new Position(child, depth + 1));
                }
            }
        }
    }

    /** The number of topics with a retained message. */
    public int size() {
        return size.get();
    }

    /** The number of trie nodes below the root; for tests proving that emptied nodes are pruned. */
    int nodeCount() {
        int[] count = {0};
        visitSubtreeNodes(root, false, node -> count[0]++);
        return count[0] - 1;
    }

    private boolean tryStore(ApplicationMessage message) {
        String topic = message.topic();
        Node node = root;
        int start = 0;
        while (true) {
            int end = levelEnd(topic, start);
            node = node.childForStoring(topic.substring(start, end));
            if (node == null) {
                return false;
            }
            if (end == topic.length()) {
                break;
            }
            start = end + 1;
        }
        synchronized (node) {
            if (node.removed) {
                return false;
            }
            if (node.message == null) {
                size.incrementAndGet();
            }
            node.message = message;
            return true;
        }
    }

    private void remove(String topic) {
        Node node = find(topic);
        if (node == null) {
            return;
        }
        synchronized (node) {
            // A removed node holds no message: then there is nothing to clear.
            if (node.removed || node.message == null) {
                return;
            }
            node.message = null;
            size.decrementAndGet();
        }
        prune(node);
    }

    /**
     * Detaches {@code node} if it is empty, then each ancestor that this leaves empty. Whoever
     * detaches a child checks the parent afterwards, so no empty node is left behind.
     */
    private void prune(Node node) {
        while (node != root) {
            synchronized (node) {
                if (node.removed || node.message != null || !node.children.isEmpty()) {
                    return;
                }
                node.removed = true;
            }
            node.parent.children.remove(node.level, node);
            node = node.parent;
        }
    }

    private Node find(String topic) {
        Node node = root;
        int start = 0;
        while (true) {
            int end = levelEnd(topic, start);
            node = node.children.get(topic.substring(start, end));
            if (node == null || end == topic.length()) {
                return node;
            }
            start = end + 1;
        }
    }

    private static void visit(Node node, Consumer<ApplicationMessage> visitor) {
        ApplicationMessage message = node.message;
        if (message != null) {
            visitor.accept(message);
        }
    }

    private static void visitSubtree(Node top, boolean hideServerTopics, Consumer<ApplicationMessage> visitor) {
        visitSubtreeNodes(top, hideServerTopics, node -> visit(node, visitor));
    }

    /** Every node from {@code top} down, without recursion (topics may have thousands of levels). */
    private static void visitSubtreeNodes(Node top, boolean hideServerTopics, Consumer<Node> visitor) {
        Deque<Node> toVisit = new ArrayDeque<>();
        toVisit.push(top);
        while (!toVisit.isEmpty()) {
            Node node = toVisit.pop();
            visitor.accept(node);
            boolean hide = hideServerTopics && node == top;
            node.children.forEach((childLevel, child) -> {
                if (!(hide && isServerLevel(childLevel))) {
                    toVisit.push(child);
                }
            });
        }
    }

    /** A first level starting with '$' is exactly a topic starting with '$'. */
    private static boolean isServerLevel(String firstLevel) {
        return !firstLevel.isEmpty() && firstLevel.charAt(0) == Topics.SERVER_TOPIC_PREFIX;
    }

    private static String[] splitLevels(String topicOrFilter) {
        List<String> levels = new ArrayList<>();
        int start = 0;
        while (true) {
            int end = levelEnd(topicOrFilter, start);
            levels.add(topicOrFilter.substring(start, end));
            if (end == topicOrFilter.length()) {
                return levels.toArray(String[]::new);
            }
            start = end + 1;
        }
    }

    private static int levelEnd(String topicOrFilter, int start) {
        int separator = topicOrFilter.indexOf(Topics.LEVEL_SEPARATOR, start);
        return separator < 0 ? topicOrFilter.length() : separator;
    }

    private record Position(Node node, int depth) {
    }

    /** One topic level. {@code removed} and structural changes are guarded by the node's monitor. */
    private static final class Node {

        final Node parent;
        final String level;
        final ConcurrentHashMap<String, Node> children = new ConcurrentHashMap<>();
        volatile ApplicationMessage message;
        /** Set once, under this node's monitor, just before it is detached from its parent. */
        boolean removed;

        Node(Node parent, String level) {
            this.parent = parent;
            this.level = level;
        }

        /** The child for {@code childLevel}, created if missing; {@code null} if this node was pruned. */
        Node childForStoring(String childLevel) {
            Node existing = children.get(childLevel);
            if (existing != null) {
                return existing; // perhaps pruned since: the store re-checks under the leaf's monitor
            }
            synchronized (this) {
                if (removed) {
                    return null;
                }
                return children.computeIfAbsent(childLevel, absent -> new Node(this, absent));
            }
        }
    }
}
