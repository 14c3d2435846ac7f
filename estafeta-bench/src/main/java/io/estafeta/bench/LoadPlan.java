package io.estafeta.bench;

import java.util.List;

/**
 * Who publishes where and who subscribes to what in one message scenario.
 *
 * @param scenario         its name (fanin, fanout, pairs, latency)
 * @param publisherTopics  one topic per publisher
 * @param subscriberFilters one filter per subscriber
 * @param deliveriesPerMessage how many subscribers each published message reaches
 * @param bystanders       publisher/subscriber pairs beside the scenario, at a low fixed rate
 */
record LoadPlan(String scenario, List<String> publisherTopics, List<String> subscriberFilters,
                int deliveriesPerMessage, Bystanders bystanders) {

    /**
     * Pairs that run beside a scenario's load on topics of their own, at a low fixed rate, so that the report
     * shows whether the load reaches clients that have nothing to do with it (their latency and losses).
     *
     * @param pairs       publisher/subscriber pairs (0: none)
     * @param ratePerPair messages per second each publisher sends
     */
    record Bystanders(int pairs, long ratePerPair) {

        static final Bystanders NONE = new Bystanders(0, 0);

        Bystanders {
            if (pairs < 0) {
                throw new IllegalArgumentException("bystander pairs must not be negative: " + pairs);
            }
            if (pairs > 0 && ratePerPair < 1) {
                throw new IllegalArgumentException("bystanders need a rate of at least 1 msg/s: " + ratePerPair);
            }
        }

        boolean any() {
            return pairs > 0;
        }

        /** Messages per second of all bystander publishers together. */
        long rate() {
            return pairs * ratePerPair;
        }
    }

    LoadPlan(String scenario, List<String> publisherTopics, List<String> subscriberFilters, int deliveriesPerMessage) {
        this(scenario, publisherTopics, subscriberFilters, deliveriesPerMessage, Bystanders.NONE);
    }

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

    LoadPlan with(Bystanders others) {
        return new LoadPlan(scenario, publisherTopics, subscriberFilters, deliveriesPerMessage, others);
    }
}
