package io.estafeta.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Writers subscribe and unsubscribe while readers match, on filters that share prefixes, so that
 * pruning a node races with subscribing below it. Each writer owns its client ids, so the final
 * state is known exactly: the tree must then agree with every writer's reference map, hold no
 * leftover nodes, and readers must only ever have seen subscriptions that match their topic.
 */
class SubscriptionTreeConcurrencyTest {

    private static final int WRITERS = 2;
    private static final int READERS = 2;
    private static final int OPERATIONS_PER_WRITER = 20_000;
    private static final int MATCHES_PER_READER = 20_000;
    private static final int CLIENTS_PER_WRITER = 3;
    private static final List<String> FILTERS = List.of(
            "a", "a/b", "a/b/c", "a/b/c/d", "a/+", "a/+/c", "a/#", "a/b/#", "+/b/c", "#", "+", "+/+/+",
            "a/x/c", "$SYS/a", "$SYS/#", "a//c", "/", "a/b/c/+");
    private static final List<String> TOPICS = List.of(
            "a", "a/b", "a/b/c", "a/b/c/d", "a/x/c", "x/b/c", "$SYS/a", "a//c", "/", "b", "a/b/c/e");

    private final SubscriptionTree tree = new SubscriptionTree();

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES) // guards against a hang only, not a speed check
    void concurrentSubscribeUnsubscribeAndMatchEndInTheStateOfTheLastWrites() throws Exception {
        CyclicBarrier start = new CyclicBarrier(WRITERS + READERS);
        List<Callable<Map<List<String>, Subscription>>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.add(() -> write(writer, start));
        }
        List<Callable<Set<String>>> readers = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            int reader = r;
            readers.add(() -> read(reader, start));
        }

        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS);
        Map<List<String>, Subscription> reference = new HashMap<>();
        try {
            List<Future<Map<List<String>, Subscription>>> written = writers.stream().map(pool::submit).toList();
            List<Future<Set<String>>> read = readers.stream().map(pool::submit).toList();
            for (Future<Set<String>> problems : read) {
                assertThat(problems.get()).isEmpty();
            }
            for (Future<Map<List<String>, Subscription>> writerState : written) {
                reference.putAll(writerState.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(tree.size()).isEqualTo(reference.size());
        for (String topic : TOPICS) {
            assertThat(SubscriptionTreePropertiesTest.matching(tree, topic)).as(topic)
                    .containsExactlyInAnyOrderElementsOf(SubscriptionTreePropertiesTest.expectedMatches(reference, topic));
        }
        assertThat(tree.nodeCount()).isEqualTo(SubscriptionTreePropertiesTest.levelPrefixCount(reference.values()));
    }

    /** Random operations on this writer's own clients; returns what it left subscribed. */
    private Map<List<String>, Subscription> write(int writer, CyclicBarrier start) throws Exception {
        Random random = new Random(writer);
        Map<List<String>, Subscription> mine = new HashMap<>();
        start.await();
        for (int i = 0; i < OPERATIONS_PER_WRITER; i++) {
            String clientId = "w" + writer + "-c" + random.nextInt(CLIENTS_PER_WRITER);
            String filter = FILTERS.get(random.nextInt(FILTERS.size()));
            List<String> key = List.of(clientId, filter);
            if (random.nextBoolean()) {
                Subscription subscription = new Subscription(clientId, filter, random.nextInt(3));
                assertThat(tree.subscribe(subscription)).isEqualTo(mine.put(key, subscription));
            } else {
                assertThat(tree.unsubscribe(clientId, filter)).isEqualTo(mine.remove(key));
            }
        }
        return mine;
    }

    /** Matches random topics; returns a description of every inconsistency it saw. */
    private Set<String> read(int reader, CyclicBarrier start) throws Exception {
        Random random = new Random(100 + reader);
        Set<String> problems = new HashSet<>();
        start.await();
        for (int i = 0; i < MATCHES_PER_READER; i++) {
            String topic = TOPICS.get(random.nextInt(TOPICS.size()));
            Set<List<String>> seen = new HashSet<>();
            tree.match(topic, subscription -> {
                if (!ReferenceTopicMatcher.matches(subscription.topicFilter(), topic)) {
                    problems.add(subscription + " does not match " + topic);
                }
                if (!seen.add(List.of(subscription.clientId(), subscription.topicFilter()))) {
                    problems.add(subscription + " visited twice for " + topic);
                }
            });
        }
        return problems;
    }
}
