package io.estafeta.broker.http.admin;

import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.routing.InternalSink;
import io.estafeta.broker.routing.InternalSubscribers;
import io.estafeta.broker.routing.SharedGroup;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.CompletableFuture;

/**
 * Counts messages per topic for the dashboard's "top topics", only while someone watches the live stats:
 * nothing is counted on the publish path otherwise. While active it is an internal subscriber to {@code #}
 * (so {@code $SYS} topics are not counted, [MQTT-4.7.2-1]); it counts at most {@link #MAX_TOPICS} distinct
 * topics per window and lumps further ones together, so a flood of unique topics cannot grow it. Counts
 * start again every {@link #WINDOW_MILLIS}.
 */
final class TopTopics extends InternalSink {

    static final int MAX_TOPICS = 1000;
    static final long WINDOW_MILLIS = 60_000;
    private static final String EVERY_TOPIC = "#";
    private static final String OTHER_TOPICS = "(other topics)";

    private final InternalSubscribers subscribers;
    private volatile Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private volatile long windowStartMillis = System.currentTimeMillis();
    private int watchers;
    private String subscriberId;

    TopTopics(InternalSubscribers subscribers) {
        this.subscribers = subscribers;
    }

    /** A stats stream opened: start counting if it is the first. */
    synchronized void watcherAdded() {
        if (watchers++ == 0) {
            counts = new ConcurrentHashMap<>();
            windowStartMillis = System.currentTimeMillis();
            subscriberId = subscribers.add("top-topics", EVERY_TOPIC, this);
        }
    }

    /** A stats stream closed: stop counting after the last. */
    synchronized void watcherRemoved() {
        if (--watchers == 0) {
            subscribers.remove(subscriberId, EVERY_TOPIC);
            subscriberId = null;
        }
    }

    /** The busiest topics of the current window, busiest first, and the window's start. */
    Map<String, Object> top(int limit, long nowMillis) {
        if (nowMillis - windowStartMillis >= WINDOW_MILLIS) {
            counts = new ConcurrentHashMap<>();
            windowStartMillis = nowMillis;
        }
        List<Map.Entry<String, LongAdder>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Comparator.comparingLong((Map.Entry<String, LongAdder> e) -> e.getValue().sum()).reversed());
        List<Map<String, Object>> topics = new ArrayList<>();
        for (Map.Entry<String, LongAdder> entry : entries.subList(0, Math.min(limit, entries.size()))) {
            Map<String, Object> topic = new LinkedHashMap<>();
            topic.put("topic", entry.getKey());
            topic.put("messages", entry.getValue().sum());
            topics.add(topic);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("since", windowStartMillis);
        result.put("active", subscriberId != null);
        result.put("topics", topics);
        return result;
    }

    @Override
    public CompletableFuture<Void> offer(ApplicationMessage message, int qos, int[] subscriptionIds,
                                         SharedGroup sharedGroup) {
        Map<String, LongAdder> current = counts;
        LongAdder count = current.get(message.topic());
        if (count == null) {
            String key = current.size() < MAX_TOPICS ? message.topic() : OTHER_TOPICS;
            count = current.computeIfAbsent(key, topic -> new LongAdder());
        }
        count.increment();
        return null;
    }
}
