package io.estafeta.bench;

import java.util.List;

/**
 * Who publishes where and who subscribes to what in one message scenario.
 *
 * @param scenario         its name (fanin, fanout, pairs, latency)
 * @param publisherTopics  one topic per publisher
 * @param subscriberFilters one filter per subscriber
 * @param deliveriesPerMessage how many subscribers each published message reaches
 */
record LoadPlan(String scenario, List<String> publisherTopics, List<String> subscriberFilters,
                int deliveriesPerMessage) {

    LoadPlan {
        publisherTopics = List.copyOf(publisherTopics);
        subscriberFilters = List.copyOf(subscriberFilters);
        if (publisherTopics.isEmpty()) {
            throw new IllegalArgumentException("a scenario needs at least one publisher");
        }
        if (subscriberFilters.isEmpty()) {
            throw new IllegalArgumentException("a scenario needs at least one subscriber");
        }
    }
}
