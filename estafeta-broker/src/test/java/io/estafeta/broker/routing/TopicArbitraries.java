package io.estafeta.broker.routing;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Topics and filters over a small alphabet of levels, so that random ones collide and match often,
 * including empty levels and '$' levels ([MQTT-4.7.2-1]).
 */
public final class TopicArbitraries {

    public static final List<String> TOPIC_LEVELS = List.of("", "$SYS", "$x", "a", "b");
    private static final int MAX_LEVELS = 4;

    private TopicArbitraries() {
    }

    /** Valid topic names of one to four levels. */
    public static Arbitrary<String> topicNames() {
        return Arbitraries.of(TOPIC_LEVELS).list().ofMinSize(1).ofMaxSize(MAX_LEVELS)
                .map(levels -> String.join("/", levels))
                .filter(topic -> !topic.isEmpty());
    }

    /** Valid topic filters of one to four levels: any levels or '+', optionally ending in '#'. */
    public static Arbitrary<String> topicFilters() {
        Arbitrary<List<String>> levels = Arbitraries.of(
                        "", "$SYS", "$x", "a", "b", "+", "+")
                .list().ofMinSize(0).ofMaxSize(MAX_LEVELS);
        return Combinators.combine(levels, Arbitraries.of(true, false))
                .as((prefix, endsInMultiLevel) -> {
                    if (!endsInMultiLevel) {
                        return String.join("/", prefix);
                    }
                    return prefix.isEmpty() ? "#" : String.join("/", prefix) + "/#";
                })
                .filter(filter -> !filter.isEmpty());
    }
}
