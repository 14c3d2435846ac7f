package io.estafeta.bench;

import io.netty.channel.EventLoop;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Publishers and subscribers whose figures are counted together: a scenario's own clients, or the
 * bystanders beside them. Connects them, runs their publishers (as fast as the broker takes them, or on a
 * schedule shared by all of them) and counts what they sent and received.
 */
final class Cohort {

    private static final double NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);
    /** A pacer spins at most this fraction (1/N) of the time between two sends of its event loop. */
    private static final int SPIN_SHARE_DIVISOR = 4;

    /** The cohort's counters at one moment. */
    record Count(PublishPump.Counters published, long received) {

        static final Count ZERO = new Count(PublishPump.Counters.ZERO, 0);
    }

    /** What the cohort measured in one interval. */
    record Measured(DeliveryLatency.Interval latency, Histogram sendLateness) {
    }

    private final List<String> publisherTopics;
    private final List<String> subscriberFilters;
    private final int deliveriesPerMessage;
    private final long rate;
    private final DeliveryLatency latency = new DeliveryLatency();
    private final Recorder sendLateness = new Recorder(Percentiles.DIGITS);
    private final Map<EventLoop, Pacer> pacers = new LinkedHashMap<>();

    private List<BenchConnection> subscribers = List.of();
    private List<BenchConnection> publishers = List.of();
    private List<PublishPump> pumps = List.of();

    /**
     * @param rate messages per second across all publishers, or {@link LoadSettings#UNLIMITED}
     */
    Cohort(List<String> publisherTopics, List<String> subscriberFilters, int deliveriesPerMessage, long rate) {
        this.publisherTopics = List.copyOf(publisherTopics);
        this.subscriberFilters = List.copyOf(subscriberFilters);
        this.deliveriesPerMessage = deliveriesPerMessage;
        this.rate = rate;
    }

    boolean rateLimited() {
        return rate != LoadSettings.UNLIMITED;
    }

    int publisherCount() {
        return publisherTopics.size();
    }

    int subscriberCount() {
        return subscriberFilters.size();
    }

    /**
     * Connects the subscribers, then the publishers, each through its own connector (the same one, or event
     * loops of their own); client ids are {@code clientIdPrefix} + "s" or "p" + a number.
     */
    void open(LoadSettings settings, String clientIdPrefix, boolean persistentSubscribers, Connector subscribing,
              Connector publishing) {
        subscribers = subscribing.open(subscriberFilters.size(),
                i -> new BenchConnection(clientIdPrefix + "s" + i, settings.version(), subscriberFilters.get(i),
                        settings.qos(), latency, persistentSubscribers, BenchConnection.NO_KEEP_ALIVE),
                ready -> { });
        publishers = publishing.open(publisherTopics.size(),
                i -> new BenchConnection(clientIdPrefix + "p" + i, settings.version(), null, settings.qos(), null,
                        false, BenchConnection.NO_KEEP_ALIVE),
                ready -> { });
    }

    /** Starts publishing; a rate-limited cohort's schedule begins at {@code startNanos}. */
    void start(LoadSettings settings, long startNanos) {
        if (rateLimited()) {
            createPacers();
        }
        List<PublishPump> started = new ArrayList<>(publishers.size());
        for (int i = 0; i < publishers.size(); i++) {
            BenchConnection publisher = publishers.get(i);
            PublishFrames frames = new PublishFrames(publisherTopics.get(i), settings.qos(), settings.payloadSize(),
                    settings.version());
            PublishPump.Pacing pacing = !rateLimited() ? null : new PublishPump.Pacing(
                    SendSchedule.forPublisher(startNanos, rate, publishers.size(), i),
                    pacers.get(publisher.channel().eventLoop()), sendLateness);
            started.add(new PublishPump(publisher, frames, settings.qos(), settings.window(), pacing));
        }
        pumps = started;
        pumps.forEach(PublishPump::start);
    }

    /** One pacer per event loop of the publishers, allowed to spin a quarter of the time between its sends. */
    private void createPacers() {
        Map<EventLoop, Integer> perLoop = new LinkedHashMap<>();
        for (BenchConnection publisher : publishers) {
            perLoop.merge(publisher.channel().eventLoop(), 1, Integer::sum);
        }
        perLoop.forEach((loop, count) -> {
            double loopRate = (double) rate * count / publishers.size();
            pacers.put(loop, new Pacer((long) (NANOS_PER_SECOND / loopRate / SPIN_SHARE_DIVISOR)));
        });
    }

    /** The pacer of each event loop that runs scheduled publishers of this cohort. */
    Map<EventLoop, Pacer> pacers() {
        return pacers;
    }

    void stop() {
        pumps.forEach(PublishPump::stop);
    }

    /** Forgets what was measured so far (the warm-up). */
    void forgetMeasured() {
        latency.interval();
        sendLateness.getIntervalHistogram();
    }

    /** What was measured since {@link #forgetMeasured()}. */
    Measured measured() {
        return new Measured(latency.interval(), sendLateness.getIntervalHistogram());
    }

    Count count() {
        PublishPump.Counters published = PublishPump.Counters.ZERO;
        for (PublishPump pump : pumps) {
            published = published.plus(pump.snapshot());
        }
        return new Count(published, sumReceived());
    }

    /** Deliveries the subscribers should have received for what was published by {@code count}. */
    long expected(Count count) {
        return count.published().sent() * deliveriesPerMessage;
    }

    /** Every QoS 1/2 message acknowledged (or QoS 0) and every delivery arrived. */
    boolean complete(Count count, int qos) {
        return (qos == 0 || count.published().inflight() == 0) && count.received() >= expected(count);
    }

    /** Why a subscriber's connection closed before the end, or null. */
    String closedByBroker() {
        for (BenchConnection connection : subscribers) {
            if (!connection.channel().isActive()) {
                return "subscriber " + connection.clientId() + ": " + connection.closeReason();
            }
        }
        return null;
    }

    void disconnect() {
        publishers.forEach(BenchConnection::disconnect);
        subscribers.forEach(BenchConnection::disconnect);
    }

    /** Received counts, read on each subscriber's event loop (one task per loop). */
    private long sumReceived() {
        Map<EventLoop, List<BenchConnection>> byLoop = new LinkedHashMap<>();
        for (BenchConnection subscriber : subscribers) {
            byLoop.computeIfAbsent(subscriber.channel().eventLoop(), loop -> new ArrayList<>()).add(subscriber);
        }
        List<Future<Long>> sums = new ArrayList<>();
        byLoop.forEach((loop, connections) -> sums.add(loop.submit(
                () -> connections.stream().mapToLong(BenchConnection::received).sum())));
        long total = 0;
        for (Future<Long> sum : sums) {
            total += await(sum);
        }
        return total;
    }

    static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        } catch (ExecutionException e) {
            throw new BenchException(e.getCause().toString(), e.getCause());
        }
    }
}
