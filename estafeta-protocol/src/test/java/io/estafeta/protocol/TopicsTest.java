package io.estafeta.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {

    // --- topic names -----------------------------------------------------------------------------

    @ParameterizedTest(name = "\"{0}\" is a valid topic name")
    @ValueSource(strings = {
            "a", "sport/tennis/player1", "sport/tennis/player1/ranking", "/", "//", "/finance", "a//b",
            "a/", "$SYS/broker/clients", "$", " ", "ACCOUNTS", "Accounts", "sport/tennis/player1 ",
            "día/ünïcode/数据", "emoji/\uD83D\uDE00"})
    void topicNamesWithoutWildcardsOrNullAreValid(String topic) {
        assertThat(Topics.isValidTopicName(topic)).isTrue();
    }

    @Test
    void emptyTopicNameIsInvalid_MQTT_4_7_3_1() {
        assertThat(Topics.isValidTopicName("")).isFalse();
    }

    @Test
    void nullTopicNameIsInvalid() {
        assertThat(Topics.isValidTopicName(null)).isFalse();
    }

    @ParameterizedTest(name = "\"{0}\" is not a topic name: wildcards are for filters [MQTT-3.3.2-2]")
    @ValueSource(strings = {"+", "#", "sport/+", "sport/#", "a+b", "a#b", "+/tennis", "sport/tennis#"})
    void topicNamesWithWildcardCharactersAreInvalid_MQTT_3_3_2_2(String topic) {
        assertThat(Topics.isValidTopicName(topic)).isFalse();
    }

    @ParameterizedTest(name = "\"{0}\" contains U+0000 [MQTT-4.7.3-2]")
    @ValueSource(strings = {"\u0000", "a\u0000", "a/\u0000/b", "\u0000a"})
    void topicNamesWithNullCharacterAreInvalid_MQTT_4_7_3_2(String topic) {
        assertThat(Topics.isValidTopicName(topic)).isFalse();
    }

    @Test
    void topicNameOfExactly65535Utf8BytesIsValidAndOneMoreIsNot() {
        String ascii = "a".repeat(Topics.MAX_TOPIC_BYTES);
        assertThat(Topics.isValidTopicName(ascii)).isTrue();
        assertThat(Topics.isValidTopicName(ascii + "b")).isFalse();
    }

    @Test
    void topicNameLengthIsCountedInUtf8BytesNotChars() {
        String euros = "€".repeat(Topics.MAX_TOPIC_BYTES / 3); // three bytes each: 65535 bytes
        assertThat(euros.getBytes(StandardCharsets.UTF_8)).hasSize(Topics.MAX_TOPIC_BYTES);
        assertThat(Topics.isValidTopicName(euros)).isTrue();
        assertThat(Topics.isValidTopicName(euros + "a")).isFalse();

        String emoji = "\uD83D\uDE00".repeat(Topics.MAX_TOPIC_BYTES / 4) + "abc"; // 16383 * 4 + 3 bytes
        assertThat(emoji.getBytes(StandardCharsets.UTF_8)).hasSize(Topics.MAX_TOPIC_BYTES);
        assertThat(Topics.isValidTopicName(emoji)).isTrue();
        assertThat(Topics.isValidTopicName(emoji + "d")).isFalse();

        String twoByte = "é".repeat(Topics.MAX_TOPIC_BYTES / 2) + "a"; // 32767 * 2 + 1 bytes
        assertThat(twoByte.getBytes(StandardCharsets.UTF_8)).hasSize(Topics.MAX_TOPIC_BYTES);
        assertThat(Topics.isValidTopicName(twoByte)).isTrue();
        assertThat(Topics.isValidTopicName(twoByte + "a")).isFalse();
    }

    // --- topic filters ---------------------------------------------------------------------------

    @ParameterizedTest(name = "\"{0}\" is a valid topic filter")
    @ValueSource(strings = {
            "#", "+", "+/+", "/+", "+/", "/#", "a/#", "sport/tennis/#", "sport/+/player1", "+/tennis/#",
            "sport/+", "a//b", "/", "$SYS/#", "$SYS/+/clients", "$share/group/a", "a/+/+/#"})
    void filtersWithWholeLevelWildcardsAreValid_MQTT_4_7_1_2_and_MQTT_4_7_1_3(String filter) {
        assertThat(Topics.isValidTopicFilter(filter)).isTrue();
    }

    @ParameterizedTest(name = "\"{0}\": '#' must be the whole last level [MQTT-4.7.1-2]")
    @ValueSource(strings = {"a#", "#a", "sport/tennis#", "a/#/b", "#/", "#/a", "##", "a/##", "+#"})
    void multiLevelWildcardAnywhereButTheWholeLastLevelIsInvalid_MQTT_4_7_1_2(String filter) {
        assertThat(Topics.isValidTopicFilter(filter)).isFalse();
    }

    @ParameterizedTest(name = "\"{0}\": '+' must be a whole level [MQTT-4.7.1-3]")
    @ValueSource(strings = {"a+", "+a", "+a/b", "sport+", "sport/+tennis", "a/b+/c", "++", "a/++"})
    void singleLevelWildcardThatIsNotAWholeLevelIsInvalid_MQTT_4_7_1_3(String filter) {
        assertThat(Topics.isValidTopicFilter(filter)).isFalse();
    }

    @Test
    void emptyOrNullFilterIsInvalid_MQTT_4_7_3_1() {
        assertThat(Topics.isValidTopicFilter("")).isFalse();
        assertThat(Topics.isValidTopicFilter(null)).isFalse();
    }

    @Test
    void filterWithNullCharacterIsInvalid_MQTT_4_7_3_2() {
        assertThat(Topics.isValidTopicFilter("a/\u0000")).isFalse();
        assertThat(Topics.isValidTopicFilter("\u0000/#")).isFalse();
    }

    @Test
    void filterOfExactly65535Utf8BytesIsValidAndOneMoreIsNot() {
        String filter = "a/".repeat(32766) + "+/#"; // 65532 + 3 bytes
        assertThat(filter.getBytes(StandardCharsets.UTF_8)).hasSize(Topics.MAX_TOPIC_BYTES);
        assertThat(Topics.isValidTopicFilter(filter)).isTrue();
        assertThat(Topics.isValidTopicFilter("a" + filter)).isFalse();
    }

    // --- matching: the examples of section 4.7 ---------------------------------------------------

    @ParameterizedTest(name = "\"{0}\" matches \"{1}\"")
    @CsvSource(delimiter = '|', textBlock = """
            # [MQTT-4.7.1-2] the non-normative examples for '#'
            sport/tennis/player1/# | sport/tennis/player1
            sport/tennis/player1/# | sport/tennis/player1/ranking
            sport/tennis/player1/# | sport/tennis/player1/score/wimbledon
            sport/#                | sport
            '#'                    | sport/tennis/player1
            '#'                    | /
            '#'                    | a
            # [MQTT-4.7.1-3] the non-normative examples for '+'
            sport/tennis/+         | sport/tennis/player1
            sport/tennis/+         | sport/tennis/player2
            sport/+                | sport/
            +/+                    | /finance
            /+                     | /finance
            +/tennis/#             | sport/tennis/player1
            sport/+/player1        | sport/tennis/player1
            # a '+' level may be empty
            +                      | ' '
            +/+                    | /
            a/+/b                  | a//b
            # [MQTT-4.7.2-1] '$' topics are matched by filters that name them
            $SYS/#                 | $SYS
            $SYS/#                 | $SYS/broker/clients
            $SYS/monitor/+         | $SYS/monitor/Clients
            $SYS/+/Clients         | $SYS/monitor/Clients
            # literal and empty levels
            a                      | a
            /                      | /
            a//b                   | a//b
            a/                     | a/
            a/#                    | a/
            """)
    void filterMatchesTopic(String filter, String topic) {
        assertThat(Topics.matches(filter, topic)).isTrue();
    }

    @ParameterizedTest(name = "\"{0}\" does not match \"{1}\"")
    @CsvSource(delimiter = '|', textBlock = """
            # [MQTT-4.7.1-3] '+' matches only a single level
            sport/tennis/+         | sport/tennis/player1/ranking
            sport/+                | sport
            +                      | /finance
            +                      | a/b
            +                      | /
            /+                     | /a/b
            # [MQTT-4.7.2-1] a leading wildcard does not match a '$' topic
            '#'                    | $SYS
            '#'                    | $SYS/broker/clients
            +/monitor/Clients      | $SYS/monitor/Clients
            +                      | $SYS
            +                      | $
            +/#                    | $SYS/a
            # [MQTT-4.7.3-3] topic names and filters are case-sensitive
            ACCOUNTS               | Accounts
            accounts               | Accounts
            sport/#                | Sport/tennis
            # [MQTT-4.7.3-4] no normalisation: a trailing space is a different level
            sport/tennis/player1   | sport/tennis/player1' '
            # levels must line up
            a/b                    | a
            a                      | a/b
            a                      | a/
            a/                     | a
            a/b/#                  | a
            a/+                    | a
            sport/tennis/player1/# | sport/tennis/player2
            sport/tennis/player1/# | sport/tennis
            /#                     | a
            a//b                   | a/b
            ab                     | a
            a                      | ab
            """)
    void filterDoesNotMatchTopic(String filter, String topic) {
        assertThat(Topics.matches(filter, topic)).isFalse();
    }

    @Test
    void filterStartingWithMultiLevelWildcardMatchesEveryNonServerTopic_MQTT_4_7_2_1() {
        assertThat(Topics.matches("#", "sport")).isTrue();
        assertThat(Topics.matches("#", "/$SYS")).isTrue(); // '$' not the first character
        assertThat(Topics.matches("#", "$SYS")).isFalse();
    }

    @Test
    void dollarInsideTheTopicDoesNotHideItFromWildcards() {
        assertThat(Topics.matches("+/$x", "a/$x")).isTrue();
        assertThat(Topics.matches("a/+", "a/$x")).isTrue();
        assertThat(Topics.matches("a/#", "a/$SYS/x")).isTrue();
    }
}
