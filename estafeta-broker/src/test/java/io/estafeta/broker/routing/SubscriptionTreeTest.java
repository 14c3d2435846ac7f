package io.estafeta.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SubscriptionTreeTest {

    private final SubscriptionTree tree = new SubscriptionTree();

    private List<Subscription> matching(String topic) {
        List<Subscription> matched = new ArrayList<>();
        tree.match(topic, matched::add);
        return matched;
    }

    /** Subscribes one client per filter, named after the filter, and returns the filters matching. */
    private List<String> filtersMatching(String topic, String... filters) {
        for (String filter : filters) {
            tree.subscribe(new Subscription(filter, filter, 0));
        }
        return matching(topic).stream().map(Subscription::topicFilter).toList();
    }

    @Test
    void subscriptionWithExactFilterMatchesItsTopic() {
        Subscription subscription = new Subscription("c1", "sport/tennis/player1", 1);
        tree.subscribe(subscription);

        assertThat(matching("sport/tennis/player1")).containsExactly(subscription);
        assertThat(matching("sport/tennis/player2")).isEmpty();
        assertThat(matching("sport/tennis")).isEmpty();
        assertThat(matching("sport/tennis/player1/ranking")).isEmpty();
    }

    @Test
    void matchFindsEveryFilterOfTheSpecExamples_MQTT_4_7_1_2_and_MQTT_4_7_1_3() {
        String[] filters = {
                "sport/tennis/player1/#", "sport/#", "#", "sport/tennis/+", "sport/+", "+/+", "/+", "+",
                "+/tennis/#", "sport/+/player1", "sport/tennis/player1", "sport/tennis"};

        assertThat(filtersMatching("sport/tennis/player1", filters)).containsExactlyInAnyOrder(
                "sport/tennis/player1/#", "sport/#", "#", "sport/tennis/+", "+/tennis/#",
                "sport/+/player1", "sport/tennis/player1");
        assertThat(matching("sport").stream().map(Subscription::topicFilter))
                .containsExactlyInAnyOrder("sport/#", "#", "+");
        assertThat(matching("sport/").stream().map(Subscription::topicFilter))
                .containsExactlyInAnyOrder("sport/#", "#", "sport/+", "+/+");
        assertThat(matching("/finance").stream().map(Subscription::topicFilter))
                .containsExactlyInAnyOrder("#", "+/+", "/+");
        assertThat(matching("sport/tennis/player1/score/wimbledon").stream().map(Subscription::topicFilter))
                .containsExactlyInAnyOrder("sport/tennis/player1/#", "sport/#", "#", "+/tennis/#");
    }

    @Test
    void multiLevelWildcardAlsoMatchesTheParentLevel_MQTT_4_7_1_2() {
        assertThat(filtersMatching("sport", "sport/#")).containsExactly("sport/#");
    }

    @Test
    void singleLevelWildcardMatchesAnEmptyLevelButOnlyOneLevel_MQTT_4_7_1_3() {
        String[] filters = {"+", "+/+", "a/+/b"};
        assertThat(filtersMatching("/", filters)).containsExactly("+/+");
        assertThat(matching("a//b").stream().map(Subscription::topicFilter)).containsExactly("a/+/b");
        assertThat(matching("a/b")).extracting(Subscription::topicFilter).containsExactly("+/+");
        assertThat(matching("a/b/c")).isEmpty();
    }

    @Test
    void leadingWildcardsDoNotMatchServerTopics_MQTT_4_7_2_1() {
        String[] filters = {"#", "+/monitor/Clients", "+", "+/#", "$SYS/#", "$SYS/monitor/+", "$SYS/+/Clients"};

        assertThat(filtersMatching("$SYS/monitor/Clients", filters))
                .containsExactlyInAnyOrder("$SYS/#", "$SYS/monitor/+", "$SYS/+/Clients");
        assertThat(matching("$SYS").stream().map(Subscription::topicFilter)).containsExactly("$SYS/#");
        assertThat(matching("x/monitor/Clients").stream().map(Subscription::topicFilter))
                .containsExactlyInAnyOrder("#", "+/monitor/Clients", "+/#");
    }

    @Test
    void dollarBelowTheFirstLevelIsMatchedByWildcards() {
        assertThat(filtersMatching("a/$x", "#", "a/+", "+/$x", "+/+")).containsExactlyInAnyOrder("#", "a/+", "+/$x", "+/+");
    }

    @Test
    void matchingIsCaseSensitive_MQTT_4_7_3_3() {
        assertThat(filtersMatching("Accounts", "ACCOUNTS", "accounts", "Accounts")).containsExactly("Accounts");
    }

    @Test
    void levelsOutsideLatin1AreMatchedByTheirCharacters() {
        assertThat(filtersMatching("straße/温度/\uD83D\uDE00", "straße/温度/\uD83D\uDE00", "strasse/温度/\uD83D\uDE00", "straße/+/\uD83D\uDE01"))
                .containsExactly("straße/温度/\uD83D\uDE00");
    }

    @Test
    void levelsWithTheSameHashAreStillToldApart() {
        // "Aa" and "BB" have the same String hash, so every concatenation of them does too: 128 sibling
        // levels in one hash bin (which the map turns into a tree), of which only one is the topic's.
        List<String> collidingLevels = new ArrayList<>(List.of(""));
        for (int round = 0; round < 7; round++) {
            List<String> longer = new ArrayList<>();
            for (String level : collidingLevels) {
                longer.add(level + "Aa");
                longer.add(level + "BB");
            }
            collidingLevels = longer;
        }
        for (String level : collidingLevels) {
            tree.subscribe(new Subscription(level, "t/" + level, 0));
        }

        for (String level : collidingLevels) {
            assertThat(matching("t/" + level)).extracting(Subscription::clientId).containsExactly(level);
        }
        assertThat(matching("t/" + "Aa".repeat(6) + "AB")).isEmpty();
    }

    @Test
    void resubscribingWithTheSameFilterReplacesTheSubscription_MQTT_3_8_4_3() {
        Subscription first = new Subscription("c1", "a/+", 0);
        Subscription second = new Subscription("c1", "a/+", 2);

        assertThat(tree.subscribe(first)).isNull();
        assertThat(tree.subscribe(second)).isEqualTo(first);

        assertThat(tree.size()).isEqualTo(1);
        assertThat(matching("a/b")).containsExactly(second);
    }

    @Test
    void differentClientsWithTheSameFilterAreEachMatched() {
        Subscription c1 = new Subscription("c1", "a/#", 0);
        Subscription c2 = new Subscription("c2", "a/#", 1);
        tree.subscribe(c1);
        tree.subscribe(c2);

        assertThat(tree.size()).isEqualTo(2);
        assertThat(matching("a/b")).containsExactlyInAnyOrder(c1, c2);
    }

    @Test
    void clientWithOverlappingFiltersIsVisitedOncePerFilter() {
        Subscription all = new Subscription("c1", "#", 0);
        Subscription exact = new Subscription("c1", "a/b", 2);
        tree.subscribe(all);
        tree.subscribe(exact);

        assertThat(matching("a/b")).containsExactlyInAnyOrder(all, exact);
    }

    @Test
    void unsubscribeRemovesOnlyThatClientsFilter() {
        Subscription c1 = new Subscription("c1", "a/b", 0);
        Subscription c1Wildcard = new Subscription("c1", "a/+", 0);
        Subscription c2 = new Subscription("c2", "a/b", 1);
        tree.subscribe(c1);
        tree.subscribe(c1Wildcard);
        tree.subscribe(c2);

        assertThat(tree.unsubscribe("c1", "a/b")).isEqualTo(c1);

        assertThat(tree.size()).isEqualTo(2);
        assertThat(matching("a/b")).containsExactlyInAnyOrder(c1Wildcard, c2);
    }

    @Test
    void unsubscribingWhatIsNotSubscribedReturnsNullAndChangesNothing() {
        tree.subscribe(new Subscription("c1", "a/b/c", 0));

        assertThat(tree.unsubscribe("c2", "a/b/c")).isNull();
        assertThat(tree.unsubscribe("c1", "a/b")).isNull();
        assertThat(tree.unsubscribe("c1", "a/b/c/d")).isNull();
        assertThat(tree.unsubscribe("c1", "a/+/c")).isNull();
        assertThat(tree.unsubscribe("c1", "x")).isNull();

        assertThat(tree.size()).isEqualTo(1);
        assertThat(tree.nodeCount()).isEqualTo(3);
        assertThat(matching("a/b/c")).hasSize(1);
    }

    @Test
    void unsubscribeComparesFiltersLiterallyNotByMatching() {
        tree.subscribe(new Subscription("c1", "a/+", 0));

        assertThat(tree.unsubscribe("c1", "a/b")).isNull();
        assertThat(tree.size()).isEqualTo(1);
    }

    @Test
    void lastUnsubscribePrunesEveryNodeOfTheFilter() {
        tree.subscribe(new Subscription("device-17", "devices/17/commands", 1));
        assertThat(tree.nodeCount()).isEqualTo(3);

        tree.unsubscribe("device-17", "devices/17/commands");

        assertThat(tree.nodeCount()).isZero();
        assertThat(tree.size()).isZero();
    }

    @Test
    void pruningStopsAtNodesStillInUse() {
        tree.subscribe(new Subscription("c1", "a/b", 0));
        tree.subscribe(new Subscription("c2", "a/b/c/d", 0));
        tree.subscribe(new Subscription("c3", "a/b/+/#", 0));
        assertThat(tree.nodeCount()).isEqualTo(6); // a, a/b, a/b/c, a/b/c/d, a/b/+, a/b/+/#

        tree.unsubscribe("c2", "a/b/c/d");
        assertThat(tree.nodeCount()).isEqualTo(4);

        tree.unsubscribe("c3", "a/b/+/#");
        assertThat(tree.nodeCount()).isEqualTo(2);

        tree.unsubscribe("c1", "a/b");
        assertThat(tree.nodeCount()).isZero();
    }

    @Test
    void nodeIsNotPrunedWhileAnotherClientStillSubscribes() {
        tree.subscribe(new Subscription("c1", "x/y", 0));
        tree.subscribe(new Subscription("c2", "x/y", 0));

        tree.unsubscribe("c1", "x/y");

        assertThat(tree.nodeCount()).isEqualTo(2);
        assertThat(matching("x/y")).extracting(Subscription::clientId).containsExactly("c2");
    }

    @Test
    void subscribingAgainAfterPruningWorks() {
        Subscription subscription = new Subscription("c1", "a/b", 0);
        tree.subscribe(subscription);
        tree.unsubscribe("c1", "a/b");

        tree.subscribe(subscription);

        assertThat(matching("a/b")).containsExactly(subscription);
    }

    @Test
    void emptyLevelsAreLevelsOfTheirOwn() {
        assertThat(filtersMatching("/", "/", "//", "#", "+/+", "/#")).containsExactlyInAnyOrder("/", "#", "+/+", "/#");
        assertThat(matching("a//b").stream().map(Subscription::topicFilter)).containsExactly("#");
        assertThat(tree.unsubscribe("//", "//")).isNotNull();
        assertThat(tree.unsubscribe("/", "/")).isNotNull();
        assertThat(tree.unsubscribe("/#", "/#")).isNotNull();
        assertThat(tree.nodeCount()).isEqualTo(3); // "#", "+", "+/+"
    }

    @Test
    void deepTopicsAreMatchedWithoutRecursion() {
        int levels = 30_000;
        String allSingleLevel = "+/".repeat(levels - 1) + "+";
        String literal = "a/".repeat(levels - 1) + "a";
        tree.subscribe(new Subscription("wild", allSingleLevel, 0));
        tree.subscribe(new Subscription("literal", literal, 0));

        assertThat(matching(literal)).extracting(Subscription::clientId).containsExactlyInAnyOrder("wild", "literal");

        tree.unsubscribe("wild", allSingleLevel);
        tree.unsubscribe("literal", literal);
        assertThat(tree.nodeCount()).isZero();
    }

    @Test
    void everySingleLevelBranchAlongALongPathIsFollowed() {
        int levels = 20;
        String topic = "a/".repeat(levels - 1) + "a";
        List<String> filters = new ArrayList<>();
        filters.add(topic);
        for (int wildcardAt = 0; wildcardAt < levels; wildcardAt++) {
            filters.add("a/".repeat(wildcardAt) + "+" + "/a".repeat(levels - 1 - wildcardAt));
        }

        assertThat(filtersMatching(topic, filters.toArray(String[]::new))).containsExactlyInAnyOrderElementsOf(filters);
    }

    @Test
    void subscriptionRefusesQosOutsideZeroToTwo() {
        assertThatThrownBy(() -> new Subscription("c1", "a", 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Subscription("c1", "a", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void subscriptionRefusesAnInvalidFilter_MQTT_4_7_1_2() {
        assertThatThrownBy(() -> new Subscription("c1", "a/#/b", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Subscription("c1", "", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
