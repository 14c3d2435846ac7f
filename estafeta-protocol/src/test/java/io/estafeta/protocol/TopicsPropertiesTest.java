package io.estafeta.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The character-walking validators against plain split-and-compare definitions of the rules, over
 * strings made of the characters that matter.
 */
class TopicsPropertiesTest {

    @Provide
    Arbitrary<String> topicLikeStrings() {
        return Arbitraries.strings().withChars('a', 'b', '/', '+', '#', '$', '\u0000', 'é').ofMinLength(0).ofMaxLength(8);
    }

    @Provide
    Arbitrary<String> wellFormedUnicode() {
        // Code points from every UTF-8 length class (1 to 4 bytes), never a lone surrogate.
        Arbitrary<Integer> codePoints = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 0x7F),
                Arbitraries.integers().between(0x80, 0x7FF),
                Arbitraries.integers().between(0x800, Character.MIN_SURROGATE - 1),
                Arbitraries.integers().between(Character.MAX_SURROGATE + 1, 0xFFFF),
                Arbitraries.integers().between(Character.MIN_SUPPLEMENTARY_CODE_POINT, Character.MAX_CODE_POINT));
        return codePoints.list().ofMaxSize(40)
                .map(list -> list.stream().map(Character::toString).collect(Collectors.joining()));
    }

    @Property(tries = 1000)
    void topicNameValidityFollowsTheRules(@ForAll("topicLikeStrings") String topic) {
        boolean expected = !topic.isEmpty() // [MQTT-4.7.3-1]
                && !topic.contains("+") && !topic.contains("#") // [MQTT-3.3.2-2]
                && !topic.contains("\u0000"); // [MQTT-4.7.3-2]
        assertThat(Topics.isValidTopicName(topic)).as(topic).isEqualTo(expected);
    }

    @Property(tries = 1000)
    void topicFilterValidityFollowsTheRules(@ForAll("topicLikeStrings") String filter) {
        List<String> levels = Arrays.asList(filter.split("/", -1));
        boolean wildcardsAreWholeLevels = true;
        for (int i = 0; i < levels.size(); i++) {
            String level = levels.get(i);
            boolean last = i == levels.size() - 1;
            if (level.contains("+") && !level.equals("+")) {
                wildcardsAreWholeLevels = false; // [MQTT-4.7.1-3]
            }
            if (level.contains("#") && !(level.equals("#") && last)) {
                wildcardsAreWholeLevels = false; // [MQTT-4.7.1-2]
            }
        }
        boolean expected = !filter.isEmpty() && !filter.contains("\u0000") && wildcardsAreWholeLevels;
        assertThat(Topics.isValidTopicFilter(filter)).as(filter).isEqualTo(expected);
    }

    @Property(tries = 1000)
    void utf8LengthEqualsTheEncodedLength(@ForAll("wellFormedUnicode") String text) {
        assertThat(Topics.utf8Length(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
    }
}
