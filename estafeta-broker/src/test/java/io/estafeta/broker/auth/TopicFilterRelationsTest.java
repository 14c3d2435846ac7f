package io.estafeta.broker.auth;

import io.estafeta.protocol.Topics;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The filter relations against brute force over every short topic built from the filters' words. */
class TopicFilterRelationsTest {

    /** Topic levels: the filters' words, the empty level, and one word no filter uses (what '+' may stand for). */
    private static final List<String> TOPIC_LEVELS = List.of("a", "b", "$s", "", "other");
    private static final int LONGEST_TOPIC = 5;
    private static final List<String> UNIVERSE = universe();

    private static List<String> universe() {
        List<String> topics = new ArrayList<>();
        List<String> current = List.of("");
        for (int depth = 1; depth <= LONGEST_TOPIC; depth++) {
            List<String> next = new ArrayList<>();
            for (String prefix : current) {
                for (String level : TOPIC_LEVELS) {
                    next.add(depth == 1 ? level : prefix + "/" + level);
                }
            }
            // The empty topic is kept: MQTT forbids it, but the relations count it as one empty level.
            topics.addAll(next);
            current = next;
        }
        return topics;
    }

    @ParameterizedTest
    @CsvSource({
            "#,        a/b,     true",
            // "/#" also matches the (invalid) empty topic, which "+/+/#" does not.
            "+/+/#,    /#,      false",
            "a/#,      a,       true",
            "a/#,      a/+/#,   true",
            "a/+,      a/b,     true",
            "a/+,      a/+,     true",
            "+/+,      a/#,     false",
            "a/+,      a/#,     false",
            "a,        a/#,     false",
            "a/b,      a/+,     false",
            "#,        $SYS/x,  false",
            "$SYS/#,   $SYS/x,  true",
    })
    void coversExamples(String outer, String inner, boolean expected) {
        assertThat(TopicFilterRelations.covers(outer, inner)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "a/+,      +/b,     true",
            "a/#,      a,       true",
            "a/b,      a/c,     false",
            "a/+,      a,       false",
            "#,        $SYS/#,  false",
            "+/x,      $SYS/x,  false",
            "$SYS/+,   $SYS/#,  true",
    })
    void intersectExamples(String a, String b, boolean expected) {
        assertThat(TopicFilterRelations.intersect(a, b)).isEqualTo(expected);
        assertThat(TopicFilterRelations.intersect(b, a)).isEqualTo(expected);
    }

    @Property(tries = 1000)
    void coversMeansEveryTopicOfTheInnerFilterMatchesTheOuter(@ForAll("filters") String outer,
                                                              @ForAll("filters") String inner) {
        boolean bruteForce = UNIVERSE.stream()
                .filter(topic -> Topics.matches(inner, topic))
                .allMatch(topic -> Topics.matches(outer, topic));
        assertThat(TopicFilterRelations.covers(outer, inner)).as("%s covers %s", outer, inner).isEqualTo(bruteForce);
    }

    @Property(tries = 1000)
    void intersectMeansSomeTopicMatchesBoth(@ForAll("filters") String a, @ForAll("filters") String b) {
        boolean bruteForce = UNIVERSE.stream().anyMatch(topic -> Topics.matches(a, topic) && Topics.matches(b, topic));
        assertThat(TopicFilterRelations.intersect(a, b)).as("%s meets %s", a, b).isEqualTo(bruteForce);
    }

    @Provide
    Arbitrary<String> filters() {
        Arbitrary<String> level = Arbitraries.of("a", "b", "+", "");
        Arbitrary<String> first = Arbitraries.of("a", "b", "+", "", "$s");
        return Combinators.combine(first, level.list().ofMaxSize(2), Arbitraries.of(true, false))
                .as((head, tail, hash) -> {
                    List<String> levels = new ArrayList<>();
                    levels.add(head);
                    levels.addAll(tail);
                    if (hash) {
                        levels.add("#");
                    }
                    return String.join("/", levels);
                })
                .filter(Topics::isValidTopicFilter);
    }
}
