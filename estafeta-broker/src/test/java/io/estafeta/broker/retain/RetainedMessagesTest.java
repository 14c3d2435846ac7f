package io.estafeta.broker.retain;

import static org.assertj.core.api.Assertions.assertThat;

import io.estafeta.broker.message.ApplicationMessage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class RetainedMessagesTest {

    private static final byte[] NO_PAYLOAD = new byte[0];

    private final RetainedMessages retained = new RetainedMessages();

    private static ApplicationMessage message(String topic, String payload) {
        return new ApplicationMessage(topic, payload.getBytes(StandardCharsets.UTF_8), 1, true, "publisher");
    }

    private static ApplicationMessage emptyMessage(String topic) {
        return new ApplicationMessage(topic, NO_PAYLOAD, 0, true, "publisher");
    }

    /** Retains one message per topic, with the topic as payload, and returns the topics matching. */
    private List<String> topicsMatching(String filter, String... topics) {
        for (String topic : topics) {
            retained.put(message(topic, topic));
        }
        List<String> matched = new ArrayList<>();
        retained.forEachMatching(filter, message -> matched.add(message.topic()));
        return matched;
    }

    @Test
    void retainedMessageIsFoundByItsTopic() {
        ApplicationMessage message = message("sport/tennis", "15-0");
        retained.put(message);

        assertThat(retained.get("sport/tennis")).isSameAs(message);
        assertThat(retained.get("sport")).isNull();
        assertThat(retained.get("sport/tennis/player1")).isNull();
        assertThat(retained.size()).isEqualTo(1);
    }

    @Test
    void newRetainedMessageReplacesTheOldOneForItsTopic_MQTT_3_3_1_5() {
        retained.put(message("sport/tennis", "15-0"));
        ApplicationMessage newer = message("sport/tennis", "30-0");

        retained.put(newer);

        assertThat(retained.get("sport/tennis")).isSameAs(newer);
        assertThat(retained.size()).isEqualTo(1);
    }

    @Test
    void zeroBytePayloadRemovesTheRetainedMessage_MQTT_3_3_1_10() {
        retained.put(message("sport/tennis", "15-0"));

        retained.put(emptyMessage("sport/tennis"));

        assertThat(retained.get("sport/tennis")).isNull();
        assertThat(retained.size()).isZero();
    }

    @Test
    void zeroBytePayloadIsNeverRetainedItself_MQTT_3_3_1_11() {
        retained.put(emptyMessage("sport/tennis"));

        assertThat(retained.get("sport/tennis")).isNull();
        assertThat(retained.size()).isZero();
        assertThat(retained.nodeCount()).isZero();
    }

    @Test
    void removingPrunesEveryNodeOfTheTopic() {
        retained.put(message("devices/17/status", "online"));
        assertThat(retained.nodeCount()).isEqualTo(3);

        retained.put(emptyMessage("devices/17/status"));

        assertThat(retained.nodeCount()).isZero();
    }

    @Test
    void removingATopicKeepsTopicsBelowAndBesideIt() {
        retained.put(message("a", "1"));
        retained.put(message("a/b", "2"));
        retained.put(message("a/c/d", "3"));

        retained.put(emptyMessage("a"));
        assertThat(retained.nodeCount()).isEqualTo(4); // a, a/b, a/c, a/c/d
        retained.put(emptyMessage("a/c/d"));
        assertThat(retained.nodeCount()).isEqualTo(2);

        assertThat(retained.get("a")).isNull();
        assertThat(retained.get("a/b").payloadAsString()).isEqualTo("2");
        assertThat(retained.size()).isEqualTo(1);
    }

    @Test
    void removingATopicWithNoMessageChangesNothing() {
        retained.put(message("a/b", "1"));

        retained.put(emptyMessage("a"));
        retained.put(emptyMessage("a/b/c"));
        retained.put(emptyMessage("x"));

        assertThat(retained.size()).isEqualTo(1);
        assertThat(retained.nodeCount()).isEqualTo(2);
    }

    @Test
    void exactFilterFindsOnlyItsTopic() {
        assertThat(topicsMatching("a/b/c", "a/b/c", "a/b", "a/b/c/d", "a/x/c")).containsExactly("a/b/c");
    }

    @Test
    void singleLevelWildcardFindsOneLevelIncludingEmptyOnes_MQTT_4_7_1_3() {
        assertThat(topicsMatching("a/+/c", "a/b/c", "a/x/c", "a//c", "a/b/c/d", "a/c", "b/b/c"))
                .containsExactlyInAnyOrder("a/b/c", "a/x/c", "a//c");
    }

    @Test
    void multiLevelWildcardFindsTheParentAndEverythingBelow_MQTT_4_7_1_2() {
        assertThat(topicsMatching("sport/#", "sport", "sport/tennis", "sport/tennis/player1", "sports", "x/sport"))
                .containsExactlyInAnyOrder("sport", "sport/tennis", "sport/tennis/player1");
    }

    @Test
    void leadingWildcardsDoNotFindServerTopics_MQTT_4_7_2_1() {
        String[] topics = {"$SYS/broker/clients", "$SYS", "a/$SYS", "a", "/x"};
        assertThat(topicsMatching("#", topics)).containsExactlyInAnyOrder("a/$SYS", "a", "/x");
        List<String> singleLevel = new ArrayList<>();
        retained.forEachMatching("+", message -> singleLevel.add(message.topic()));
        assertThat(singleLevel).containsExactly("a");
        List<String> serverTopics = new ArrayList<>();
        retained.forEachMatching("$SYS/#", message -> serverTopics.add(message.topic()));
        assertThat(serverTopics).containsExactlyInAnyOrder("$SYS/broker/clients", "$SYS");
    }

    @Test
    void filtersAreCaseSensitive_MQTT_4_7_3_3() {
        assertThat(topicsMatching("Accounts/#", "accounts", "ACCOUNTS/x", "Accounts/x")).containsExactly("Accounts/x");
    }

    @Test
    void emptyLevelsAreDistinctTopics() {
        assertThat(topicsMatching("/", "/", "//", "a")).containsExactly("/");
        List<String> plusPlus = new ArrayList<>();
        retained.forEachMatching("+/+", message -> plusPlus.add(message.topic()));
        assertThat(plusPlus).containsExactly("/");
    }

    @Test
    void deepTopicsAreWalkedWithoutRecursion() {
        String deep = "a/".repeat(29_999) + "a";
        retained.put(message(deep, "deep"));

        List<String> matched = new ArrayList<>();
        retained.forEachMatching("#", message -> matched.add(message.payloadAsString()));
        retained.forEachMatching(deep, message -> matched.add(message.payloadAsString()));

        assertThat(matched).containsExactly("deep", "deep");
        retained.put(emptyMessage(deep));
        assertThat(retained.nodeCount()).isZero();
    }
}
