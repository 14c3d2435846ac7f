package io.estafeta.broker.routing;

import io.estafeta.protocol.Topics;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Every client's subscriptions, as a trie of topic filter levels, answering "who wants this
 * PUBLISH?".
 *
 * <p>Each node is one filter level. Literal levels hang from a {@link ConcurrentHashMap}; the
 * {@code '+'} and {@code '#'} children have their own fields, so matching never hashes a wildcard.
 * The subscriptions whose filter ends at a node sit in an immutable array that writers replace whole
 * (copy on write).
 *
 * <p><b>Concurrency.</b> {@link #match} is the publish hot path and takes no lock: it reads volatile
 * fields and concurrent maps, and sees each node's subscriptions as one consistent array. Writers
 * ({@link #subscribe}, {@link #unsubscribe}) take one writer lock for the whole tree. That lock was
 * chosen over per-node locks because subscribing is rare next to publishing, and because with every
 * structural change serialised, pruning an emptied node cannot race a subscribe on the same path: a
 * subscribe can never land in a node that another writer has just detached, with no "removed" marks
 * or retries to get wrong. Readers never wait for it. A match running concurrently with a writer sees
 * each subscription either before or after that write.
 *
 * <p>Per-node arrays make a subscribe cost O(subscriptions with that exact filter); the trade is
 * deliberate, since iterating an array is the cheapest thing a publish can do.
 *
 * <p>Nodes left with no subscriptions and no children are pruned at once, so client-specific
 * filters ({@code "devices/<id>/commands"}) do not leak nodes when their client goes. The trie is
 * walked without recursion, so a filter or topic with very many levels cannot exhaust the stack.
 */
public final class SubscriptionTree {

    private static final Subscription[] NO_SUBSCRIPTIONS = new Subscription[0];
    private static final String SINGLE_LEVEL_WILDCARD = String.valueOf(Topics.SINGLE_LEVEL_WILDCARD);
    private static final String MULTI_LEVEL_WILDCARD = String.valueOf(Topics.MULTI_LEVEL_WILDCARD);
    /** A topic position meaning "every level has been matched". */
    private static final int NO_MORE_LEVELS = -1;

    private final Node root = new Node(null, "");
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Written under {@link #writeLock} only; volatile so that {@link #size()} needs no lock. */
    private volatile int size;

    /**
     * Adds {@code subscription}, or replaces the client's subscription with the identical filter
     * ([MQTT-3.8.4-3]).
     *
     * @return the subscription it replaced, or {@code null} if the client had none with this filter
     */
    public Subscription subscribe(Subscription subscription) {
        Objects.requireNonNull(subscription, "subscription");
        String filter = subscription.topicFilter();
        writeLock.lock();
        try {
            Node node = root;
            int start = 0;
            while (true) {
                int end = levelEnd(filter, start);
                node = node.childForWriting(filter.substring(start, end));
                if (end == filter.length()) {
                    break;
                }
                start = end + 1;
            }
            Subscription previous = node.put(subscription);
            if (previous == null) {
                size = size + 1;
            }
            return previous;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Removes the client's subscription with exactly this filter, and prunes nodes it leaves empty.
     *
     * @return the removed subscription, or {@code null} if there was none
     */
    public Subscription unsubscribe(String clientId, String topicFilter) {
        return unsubscribe(clientId, null, topicFilter);
    }

    /**
     * Removes the client's subscription with exactly this filter in this shared subscription group
     * ({@code null}: its non-shared one), and prunes nodes it leaves empty.
     *
     * @return the removed subscription, or {@code null} if there was none
     */
    public Subscription unsubscribe(String clientId, String shareName, String topicFilter) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(topicFilter, "topicFilter");
        writeLock.lock();
        try {
            Node node = findNode(topicFilter);
            if (node == null) {
                return null;
            }
            Subscription removed = node.remove(clientId, shareName);
            if (removed != null) {
                size = size - 1;
                prune(node);
            }
            return removed;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Calls {@code visitor} for every subscription with exactly this filter (not matching topics: the
     * filter itself), e.g. the members of a shared subscription group. Never blocks.
     */
    public void forEachWithFilter(String topicFilter, Consumer<Subscription> visitor) {
        Node node = findNode(topicFilter);
        if (node != null) {
            for (Subscription subscription : node.subscriptions) {
                visitor.accept(subscription);
            }
        }
    }

    private Node findNode(String topicFilter) {
        Node node = root;
        int start = 0;
        while (true) {
            int end = levelEnd(topicFilter, start);
            node = node.child(topicFilter.substring(start, end));
            if (node == null || end == topicFilter.length()) {
                return node;
            }
            start = end + 1;
        }
    }

    /**
     * Calls {@code visitor} once for every subscription whose filter matches {@code topicName}. A
     * client with several matching filters is visited once per filter; merging them (the highest QoS,
     * or one delivery per subscription in MQTT 5) is the caller's business.
     *
     * <p>[MQTT-4.7.2-1] filters starting with a wildcard do not match topics starting with
     * {@code '$'}. Never blocks. {@code topicName} is expected to be valid
     * ({@link Topics#isValidTopicName}).
     */
    public void match(String topicName, Consumer<Subscription> visitor) {
        boolean serverTopic = !topicName.isEmpty() && topicName.charAt(0) == Topics.SERVER_TOPIC_PREFIX;
        PendingBranches pending = null; // allocated only when a '+' and a literal level both match
        Node node = root;
        int start = 0;
        while (true) {
            boolean wildcardsMatch = node != root || !serverTopic;
            Node multiLevel = node.multiLevelChild;
            if (multiLevel != null && wildcardsMatch) {
                // '#' matches the remaining levels, and also none: "a/#" matches "a" ([MQTT-4.7.1-2]).
                visitAll(multiLevel.subscriptions, visitor);
            }
            Node next = null;
            int nextStart = NO_MORE_LEVELS;
            if (start == NO_MORE_LEVELS) {
                visitAll(node.subscriptions, visitor);
            } else {
                int end = levelEnd(topicName, start);
                nextStart = end == topicName.length() ? NO_MORE_LEVELS : end + 1;
                Node singleLevel = wildcardsMatch ? node.singleLevelChild : null;
                Node literal = node.literalChildren.isEmpty()
                        ? null
                        : node.literalChild(topicName, start, end);
                if (singleLevel != null && literal != null) {
                    if (pending == null) {
                        pending = new PendingBranches();
                    }
                    pending.push(singleLevel, nextStart);
                    next = literal;
                } else {
                    next = singleLevel != null ? singleLevel : literal;
                }
            }
            if (next != null) {
                node = next;
                start = nextStart;
            } else if (pending != null && !pending.isEmpty()) {
                node = pending.popNode();
                start = pending.poppedStart();
            } else {
                return;
            }
        }
    }

    /** The number of subscriptions held (one per client and identical filter). */
    public int size() {
        return size;
    }

    /** The number of trie nodes below the root; for tests proving that emptied nodes are pruned. */
    int nodeCount() {
        int count = 0;
        Deque<Node> toVisit = new ArrayDeque<>();
        toVisit.push(root);
        while (!toVisit.isEmpty()) {
            Node node = toVisit.pop();
            node.literalChildren.values().forEach(toVisit::push);
            Node singleLevel = node.singleLevelChild;
            if (singleLevel != null) {
                toVisit.push(singleLevel);
            }
            Node multiLevel = node.multiLevelChild;
            if (multiLevel != null) {
                toVisit.push(multiLevel);
            }
            if (node != root) {
                count++;
            }
        }
        return count;
    }

    /** Detaches {@code node} and then each ancestor that this leaves empty. Under the writer lock. */
    private void prune(Node node) {
        while (node != root && node.isEmpty()) {
            Node parent = node.parent;
            parent.removeChild(node);
            node = parent;
        }
    }

    private static void visitAll(Subscription[] subscriptions, Consumer<Subscription> visitor) {
        for (Subscription subscription : subscriptions) {
            visitor.accept(subscription);
        }
    }

    /** The index just past the level starting at {@code start}: the next separator or the end. */
    private static int levelEnd(String topicOrFilter, int start) {
        int separator = topicOrFilter.indexOf(Topics.LEVEL_SEPARATOR, start);
        return separator < 0 ? topicOrFilter.length() : separator;
    }

    /** One filter level. Fields are read without locks; they are written under the writer lock only. */
    private static final class Node {

        final Node parent;
        final String level;
        /**
         * Keys are always {@code String}s; typed {@code Object} only so that {@link #literalChild} can
         * look a level up with a {@link LevelProbe} instead of a substring. The shared empty map (which
         * refuses writes) until the first literal child: most nodes are leaves, one per subscriber when
         * each device subscribes to a topic of its own, and an empty ConcurrentHashMap costs 64 bytes.
         */
        volatile Map<Object, Node> literalChildren = Map.of();
        volatile Node singleLevelChild;
        volatile Node multiLevelChild;
        /** Never modified in place: replaced by a new array on every change. */
        volatile Subscription[] subscriptions = NO_SUBSCRIPTIONS;

        Node(Node parent, String level) {
            this.parent = parent;
            this.level = level;
        }

        Node child(String childLevel) {
            if (childLevel.equals(SINGLE_LEVEL_WILDCARD)) {
                return singleLevelChild;
            }
            if (childLevel.equals(MULTI_LEVEL_WILDCARD)) {
                return multiLevelChild;
            }
            return literalChildren.get(childLevel);
        }

        /**
         * The literal child for {@code topic}'s level {@code [start, end)}, found without allocating:
         * the publish path would otherwise create a {@code String} per level.
         */
        Node literalChild(String topic, int start, int end) {
            LevelProbe probe = LevelProbe.PER_THREAD.get();
            try {
                return literalChildren.get(probe.of(topic, start, end));
            } finally {
                probe.clear();
            }
        }

        Node childForWriting(String childLevel) {
            Node existing = child(childLevel);
            if (existing != null) {
                return existing;
            }
            Node created = new Node(this, childLevel);
            if (childLevel.equals(SINGLE_LEVEL_WILDCARD)) {
                singleLevelChild = created;
            } else if (childLevel.equals(MULTI_LEVEL_WILDCARD)) {
                multiLevelChild = created;
            } else {
                if (!(literalChildren instanceof ConcurrentHashMap)) {
                    // Under the writer lock; the volatile write publishes the map to lock-free readers.
                    literalChildren = new ConcurrentHashMap<>();
                }
                literalChildren.put(childLevel, created);
            }
            return created;
        }

        void removeChild(Node child) {
            if (child.level.equals(SINGLE_LEVEL_WILDCARD)) {
                singleLevelChild = null;
            } else if (child.level.equals(MULTI_LEVEL_WILDCARD)) {
                multiLevelChild = null;
            } else {
                literalChildren.remove(child.level, child);
            }
        }

        boolean isEmpty() {
            return subscriptions.length == 0 && literalChildren.isEmpty()
                    && singleLevelChild == null && multiLevelChild == null;
        }

        /** Adds or replaces the subscription of the same client and group; returns the replaced one. */
        Subscription put(Subscription subscription) {
            Subscription[] current = subscriptions;
            int index = indexOf(current, subscription.clientId(), subscription.shareName());
            Subscription[] updated;
            Subscription previous = null;
            if (index >= 0) {
                previous = current[index];
                updated = current.clone();
                updated[index] = subscription;
            } else {
                updated = Arrays.copyOf(current, current.length + 1);
                updated[current.length] = subscription;
            }
            subscriptions = updated;
            return previous;
        }

        /** Removes the subscription of {@code clientId} in that group; returns it, or {@code null}. */
        Subscription remove(String clientId, String shareName) {
            Subscription[] current = subscriptions;
            int index = indexOf(current, clientId, shareName);
            if (index < 0) {
                return null;
            }
            Subscription[] updated = new Subscription[current.length - 1];
            System.arraycopy(current, 0, updated, 0, index);
            System.arraycopy(current, index + 1, updated, index, current.length - index - 1);
            subscriptions = updated.length == 0 ? NO_SUBSCRIPTIONS : updated;
            return current[index];
        }

        private static int indexOf(Subscription[] subscriptions, String clientId, String shareName) {
            for (int i = 0; i < subscriptions.length; i++) {
                if (subscriptions[i].clientId().equals(clientId)
                        && Objects.equals(subscriptions[i].shareName(), shareName)) {
                    return i;
                }
            }
            return -1;
        }
    }

    /**
     * A level of a topic, {@code topic[start, end)}, that equals the {@code String} with the same
     * characters and has its hash: a lookup key for {@link Node#literalChildren} that needs no
     * substring. {@link ConcurrentHashMap#get} calls the argument's {@code equals} with each stored
     * key, so the probe only ever compares itself with stored {@code String}s; it is never stored.
     *
     * <p>One per thread, used only between {@link #of} and {@link #clear} inside one map lookup (no
     * visitor runs in between), so a match that re-enters the tree on the same thread cannot
     * disturb it.
     */
    private static final class LevelProbe {

        static final ThreadLocal<LevelProbe> PER_THREAD = ThreadLocal.withInitial(LevelProbe::new);

        private String topic;
        private int start;
        private int end;
        private int hash;

        LevelProbe of(String topicName, int levelStart, int levelEnd) {
            this.topic = topicName;
            this.start = levelStart;
            this.end = levelEnd;
            // The same hash as String.hashCode() of the substring: s[0]*31^(n-1) + ... + s[n-1].
            int h = 0;
            for (int i = levelStart; i < levelEnd; i++) {
                h = 31 * h + topicName.charAt(i);
            }
            this.hash = h;
            return this;
        }

        void clear() {
            topic = null;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof String level
                    && level.length() == end - start
                    && topic.regionMatches(start, level, 0, level.length());
        }
    }

    /**
     * The '+' branches a match still has to follow, with the topic position each resumes at: an
     * explicit stack instead of recursion, so that deep topics cannot overflow the thread's stack.
     */
    private static final class PendingBranches {

        private static final int INITIAL_CAPACITY = 8;

        private Node[] nodes = new Node[INITIAL_CAPACITY];
        private int[] starts = new int[INITIAL_CAPACITY];
        private int count;

        void push(Node node, int start) {
            if (count == nodes.length) {
                nodes = Arrays.copyOf(nodes, count * 2);
                starts = Arrays.copyOf(starts, count * 2);
            }
            nodes[count] = node;
            starts[count] = start;
            count++;
        }

        boolean isEmpty() {
            return count == 0;
        }

        /** Pops the top branch's node; {@link #poppedStart()} then gives its topic position. */
        Node popNode() {
            count--;
            Node node = nodes[count];
            nodes[count] = null;
            return node;
        }

        int poppedStart() {
            return starts[count];
        }
    }
}
