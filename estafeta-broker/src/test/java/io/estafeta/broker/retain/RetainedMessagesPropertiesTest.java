package io.estafeta.broker.retain;

import static org.assertj.core.api.Assertions.assertThat;

import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.routing.ReferenceTopicMatcher;
import io.estafeta.broker.routing.TopicArbitraries;

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

/** The retained store against a brute-force scan of a plain map with {@link ReferenceTopicMatcher}. */
class RetainedMessagesPropertiesTest {

    @Provide
    Arbitrary<ApplicationMessage> messages() {
        // One payload in four is empty: a removal ([MQTT-3.3.1-10]).
        Arbitrary<byte[]> payloads = Arbitraries.of(new byte[0], new byte[] {1}, new byte[] {2}, new byte[] {3});
        return Combinators.combine(TopicArbitraries.topicNames(), payloads)
                .as((topic, payload) -> new ApplicationMessage(topic, payload, 0, true, null));
    }

    @Provide
    Arbitrary<String> filters() {
        return TopicArbitraries.topicFilters();
    }

    @Property(tries = 1000)
    void forEachMatchingFindsWhatABruteForceScanFinds(
            @ForAll @Size(max = 40) List<@From("messages") ApplicationMessage> puts,
            @ForAll @Size(min = 1, max = 5) List<@From("filters") String> filters) {
        RetainedMessages retained = new RetainedMessages();
        Map<String, ApplicationMessage> reference = new LinkedHashMap<>();
        for (ApplicationMessage message : puts) {
            retained.put(message);
            if (message.payloadSize() == 0) {
                reference.remove(message.topic());
            } else {
                reference.put(message.topic(), message);
            }
        }

        for (String filter : filters) {
            List<ApplicationMessage> found = new ArrayList<>();
            retained.forEachMatching(filter, found::add);
            List<ApplicationMessage> expected = reference.values().stream()
                    .filter(message -> ReferenceTopicMatcher.matches(filter, message.topic()))
                    .toList();
            assertThat(found).as(filter).containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(retained.size()).isEqualTo(reference.size());
        for (Map.Entry<String, ApplicationMessage> entry : reference.entrySet()) {
            assertThat(retained.get(entry.getKey())).isSameAs(entry.getValue());
        }
        assertThat(retained.nodeCount()).isEqualTo(levelPrefixCount(reference.keySet()));
    }

    static int levelPrefixCount(Iterable<String> topics) {
        Set<String> prefixes = new HashSet<>();
        for (String topic : topics) {
            prefixes.addAll(ReferenceTopicMatcher.levelPrefixes(topic));
        }
        return prefixes.size();
    }
}
