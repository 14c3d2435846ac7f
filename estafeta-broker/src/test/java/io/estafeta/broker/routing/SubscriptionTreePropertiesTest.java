package io.estafeta.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.estafeta.protocol.Topics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The subscription tree and {@link Topics#matches} against {@link ReferenceTopicMatcher}, over
 * random filters and topics from a small alphabet of levels (so that they collide and match often).
 */
class SubscriptionTreePropertiesTest {

    private static final List<String> CLIENTS = List.of("c0", "c1", "c2");

    /** One subscribe or unsubscribe of a client's filter. */
    record Operation(boolean subscribe, String clientId, String topicFilter, int qos) {
    }

    @Provide
    Arbitrary<String> filters() {
        return TopicArbitraries.topicFilters();
    }

    @Provide
    Arbitrary<String> topics() {
        return TopicArbitraries.topicNames();
    }

    @Provide
    Arbitrary<Subscription> subscriptions() {
        return Combinators.combine(Arbitraries.of(CLIENTS), TopicArbitraries.topicFilters(), Arbitraries.integers().between(0, 2))
                .as(Subscription::new);
    }

    @Provide
    Arbitrary<List<Operation>> operations() {
        Arbitrary<Operation> operation = Combinators.combine(
                        Arbitraries.of(true, true, false), Arbitraries.of(CLIENTS),
                        TopicArbitraries.topicFilters(), Arbitraries.integers().between(0, 2))
                .as(Operation::new);
        return operation.list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 1000)
    void generatedFiltersAndTopicsAreValid(@ForAll("filters") String filter, @ForAll("topics") String topic) {
        assertThat(Topics.isValidTopicFilter(filter)).as(filter).isTrue();
        assertThat(Topics.isValidTopicName(topic)).as(topic).isTrue();
    }

    @Property(tries = 1000)
    void topicsMatchesAgreesWithTheReferenceMatcher(@ForAll("filters") String filter, @ForAll("topics") String topic) {
        assertThat(Topics.matches(filter, topic))
                .as("%s against %s", filter, topic)
                .isEqualTo(ReferenceTopicMatcher.matches(filter, topic));
    }

    @Property(tries = 1000)
    void treeMatchesExactlyTheSubscriptionsTheReferenceMatcherSelects(
            @ForAll @Size(max = 25) List<@From("subscriptions") Subscription> subscriptions,
            @ForAll("topics") String topic) {
        SubscriptionTree tree = new SubscriptionTree();
        Map<List<String>, Subscription> reference = new LinkedHashMap<>();
        for (Subscription subscription : subscriptions) {
            tree.subscribe(subscription);
            reference.put(List.of(subscription.clientId(), subscription.topicFilter()), subscription);
        }

        assertThat(matching(tree, topic)).containsExactlyInAnyOrderElementsOf(expectedMatches(reference, topic));
    }

    @Property(tries = 700)
    void randomSubscribeAndUnsubscribeSequencesBehaveLikeAMap(
            @ForAll("operations") List<Operation> operations,
            @ForAll @Size(min = 1, max = 5) List<@From("topics") String> topics) {
        SubscriptionTree tree = new SubscriptionTree();
        Map<List<String>, Subscription> reference = new LinkedHashMap<>();
        for (Operation operation : operations) {
            List<String> key = List.of(operation.clientId(), operation.topicFilter());
            if (operation.subscribe()) {
                Subscription subscription = new Subscription(operation.clientId(), operation.topicFilter(), operation.qos());
                assertThat(tree.subscribe(subscription)).isEqualTo(reference.put(key, subscription));
            } else {
                assertThat(tree.unsubscribe(operation.clientId(), operation.topicFilter())).isEqualTo(reference.remove(key));
            }
            assertThat(tree.size()).isEqualTo(reference.size());
        }

        for (String topic : topics) {
            assertThat(matching(tree, topic)).as(topic).containsExactlyInAnyOrderElementsOf(expectedMatches(reference, topic));
        }
        // Pruned: exactly one node per level prefix of a filter still subscribed, none left over.
        assertThat(tree.nodeCount()).isEqualTo(levelPrefixCount(reference.values()));
    }

    static List<Subscription> matching(SubscriptionTree tree, String topic) {
        List<Subscription> matched = new ArrayList<>();
        tree.match(topic, matched::add);
        return matched;
    }

    static List<Subscription> expectedMatches(Map<List<String>, Subscription> reference, String topic) {
        return reference.values().stream()
                .filter(subscription -> ReferenceTopicMatcher.matches(subscription.topicFilter(), topic))
                .toList();
    }

    static int levelPrefixCount(Iterable<Subscription> subscriptions) {
        Set<String> prefixes = new HashSet<>();
        for (Subscription subscription : subscriptions) {
            prefixes.addAll(ReferenceTopicMatcher.levelPrefixes(subscription.topicFilter()));
        }
        return prefixes.size();
    }
}
