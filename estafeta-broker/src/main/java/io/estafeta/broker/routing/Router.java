package io.estafeta.broker.routing;

import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.retain.RetainedMessages;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Routes a published message to every client whose subscriptions match its topic, and keeps the
 * retained store up to date. Runs on the publisher's event loop; takes no lock.
 */
public final class Router {

    /** Per thread, reused: client id -> highest granted QoS among its matching subscriptions. */
    private static final FastThreadLocal<Map<String, Integer>> TARGETS = new FastThreadLocal<>() {
        @Override
        protected Map<String, Integer> initialValue() {
            return new HashMap<>();
        }
    };

    private final SubscriptionTree subscriptions;
    private final RetainedMessages retained;
    private final Function<String, ? extends MessageSink> sinks;

    /**
     * @param sinks finds the sink (session) of a client id, or null when it has none
     */
    public Router(SubscriptionTree subscriptions, RetainedMessages retained,
                  Function<String, ? extends MessageSink> sinks) {
        this.subscriptions = subscriptions;
        this.retained = retained;
        this.sinks = sinks;
    }

    /**
     * Publishes a message.
     *
     * @param publisher     the connection it came from, to pause if a subscriber is congested; null for
     *                      messages the broker publishes itself (wills)
     * @param publisherSink the publisher's own session, never paused on (it could not read the
     *                      acknowledgements that would drain it); may be null
     * @return how many clients it was handed to
     */
    public int publish(ApplicationMessage message, PausablePublisher publisher, MessageSink publisherSink) {
        if (message.retain()) {
            // [MQTT-3.3.1-5] store it; [MQTT-3.3.1-10] an empty payload removes it instead.
            retained.put(message);
        }
        Map<String, Integer> targets = TARGETS.get();
        targets.clear();
        // One copy per client, at the highest QoS of its matching subscriptions.
        subscriptions.match(message.topic(), s -> targets.merge(s.clientId(), s.qos(), Math::max));
        if (targets.isEmpty()) {
            return 0;
        }
        // [MQTT-3.3.1-9] deliveries to established subscriptions carry RETAIN=0.
        ApplicationMessage live = message.withRetain(false);
        int delivered = 0;
        boolean paused = false;
        for (Map.Entry<String, Integer> target : targets.entrySet()) {
            MessageSink sink = sinks.apply(target.getKey());
            if (sink == null) {
                continue;
            }
            // [MQTT-3.8.4-6] delivered at the lower of the published and the granted QoS.
            sink.offer(live, Math.min(message.qos(), target.getValue()));
            delivered++;
            if (publisher != null && sink != publisherSink && sink.isCongested()) {
                if (!paused) {
                    publisher.pauseReading();
                    paused = true;
                }
                sink.addPausedPublisher(publisher);
            }
        }
        targets.clear();
        return delivered;
    }

    /**
     * Hands the retained messages matching a new subscription to the subscriber, with RETAIN=1
     * ([MQTT-3.3.1-6], [MQTT-3.3.1-8]).
     */
    public void deliverRetained(String topicFilter, int grantedQos, MessageSink subscriber) {
        retained.forEachMatching(topicFilter,
                message -> subscriber.offer(message.withRetain(true), Math.min(message.qos(), grantedQos)));
    }
}
