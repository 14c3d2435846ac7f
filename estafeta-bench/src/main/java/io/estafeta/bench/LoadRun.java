package io.estafeta.bench;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one message scenario: connects the subscribers, then the publishers, publishes for the warm-up and
 * the measured time, stops, waits for what is still under way, and reports.
 */
final class LoadRun {

    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long PROGRESS_INTERVAL_NANOS = NANOS_PER_SECOND;
    /** A QoS 0 drain ends when nothing more arrived for this long (lost messages never will). */
    private static final long QUIET_DRAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(1_000);
    private static final long DRAIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final double NANOS_PER_MICROSECOND = 1_000.0;
    private static final int LATENCY_DIGITS = 3;
    /** Below this share of the requested rate, a rate-limited run fell short. */
    private static final double REACHED_RATE = 0.95;
    /** Above this CPU use (percent of its cores, or of one thread) the generator counts as saturated. */
    private static final double SATURATED_PERCENT = 90.0;
    /** Publishers held back this share of the time or more: the broker set the pace. */
    private static final double HELD_BACK_SHARE = 0.10;
    private static final double PERCENT = 100.0;
    private static final int RUN_ID_LENGTH = 8;

    private final LoadSettings settings;
    private final LoadPlan plan;
    private final PrintWriter progress;
    private final Recorder latency = new Recorder(LATENCY_DIGITS);

    private List<BenchConnection> subscribers = List.of();
    private List<PublishPump> pumps = List.of();

    LoadRun(LoadSettings settings, LoadPlan plan, PrintWriter progress) {
        this.settings = settings;
        this.plan = plan;
        this.progress = progress;
    }

    /** A short random tag for topics and client ids, so that runs against one broker never meet. */
    static String newRunId() {
        return UUID.randomUUID().toString().substring(0, RUN_ID_LENGTH);
    }

    Report run() {
        String runId = newRunId();
        try (Transport transport = Transport.start(settings.threads())) {
            Connector connector = new Connector(transport, settings.host(), settings.port());
            List<BenchConnection> publishers = List.of();
            try {
                subscribers = connector.open(plan.subscriberFilters().size(),
                        i -> new BenchConnection("bench-" + runId + "-s" + i, settings.version(),
                                plan.subscriberFilters().get(i), settings.qos(), latency,
                                settings.persistentSubscribers(), BenchConnection.NO_KEEP_ALIVE),
                        ready -> { });
                publishers = connector.open(plan.publisherTopics().size(),
                        i -> new BenchConnection("bench-" + runId + "-p" + i, settings.version(), null,
                                settings.qos(), null, false, BenchConnection.NO_KEEP_ALIVE),
                        ready -> { });
                return measure(transport, publishers);
            } finally {
                publishers.forEach(BenchConnection::disconnect);
                subscribers.forEach(BenchConnection::disconnect);
            }
        }
    }

    private Report measure(Transport transport, List<BenchConnection> publishers) {
        double ratePerPublisher = settings.rateLimited() ? (double) settings.rate() / publishers.size() : 0;
        List<PublishPump> started = new ArrayList<>(publishers.size());
        for (int i = 0; i < publishers.size(); i++) {
            PublishFrames frames = new PublishFrames(plan.publisherTopics().get(i), settings.qos(),
                    settings.payloadSize(), settings.version());
            started.add(new PublishPump(publishers.get(i), frames, settings.qos(), settings.window(), ratePerPublisher));
        }
        pumps = started;
        GeneratorCpu cpu = new GeneratorCpu(loopThreadIds(transport));

        long start = System.nanoTime();
        pumps.forEach(pump -> pump.start(start));
        Tally atStart = tally(cpu);
        Tally warmedUp = runFor("warm-up", atStart, start + settings.warmUp().toNanos(), cpu);
        latency.getIntervalHistogram(); // forget the warm-up
        Tally measured = runFor("measure", warmedUp, warmedUp.nanos() + settings.duration().toNanos(), cpu);
        Histogram latencies = latency.getIntervalHistogram();
        pumps.forEach(PublishPump::stop);
        Tally drained = drain(measured);
        return report(transport, warmedUp, measured, drained, latencies);
    }

    /** Publishes until {@code endNanos}, printing a progress line every second. */
    private Tally runFor(String phase, Tally from, long endNanos, GeneratorCpu cpu) {
        Tally last = from;
        while (true) {
            long now = System.nanoTime();
            if (now >= endNanos) {
                return tally(cpu);
            }
            LockSupport.parkNanos(Math.min(endNanos - now, last.nanos() + PROGRESS_INTERVAL_NANOS - now));
            Tally current = tally(cpu);
            if (current.nanos() - last.nanos() >= PROGRESS_INTERVAL_NANOS || current.nanos() >= endNanos) {
                printProgress(phase, last, current);
                last = current;
            }
            if (closedByBroker() != null) {
                throw new BenchException(closedByBroker());
            }
        }
    }

    private void printProgress(String phase, Tally from, Tally to) {
        if (!settings.progress()) {
            return;
        }
        double seconds = (double) (to.nanos() - from.nanos()) / NANOS_PER_SECOND;
        GeneratorCpu.Usage usage = GeneratorCpu.between(from.cpu(), to.cpu());
        progress.printf(Locale.ROOT, "%-8s published %,10.0f/s  received %,10.0f/s  in flight %,6d  generator cpu %3.0f%%%n",
                phase, (to.published().sent() - from.published().sent()) / seconds,
                (to.received() - from.received()) / seconds, to.inflight(), usage.processPercentOfCores());
        progress.flush();
    }

    /** Waits until every QoS 1/2 message is acknowledged and every delivery arrived, or nothing more comes. */
    private Tally drain(Tally measured) {
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        Tally last = tallyWithoutCpu();
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long expected = last.published().sent() * plan.deliveriesPerMessage();
            boolean acknowledged = settings.qos() == 0 || last.inflight() == 0;
            if (acknowledged && last.received() >= expected) {
                break;
            }
            if (settings.qos() == 0 && System.nanoTime() - lastChange > QUIET_DRAIN_NANOS) {
                break;
            }
            LockSupport.parkNanos(DRAIN_POLL_NANOS);
            Tally now = tallyWithoutCpu();
            if (now.received() != last.received() || now.published().completed() != last.published().completed()) {
                lastChange = System.nanoTime();
            }
            last = now;
        }
        return last;
    }

    private Report report(Transport transport, Tally warmedUp, Tally measured, Tally drained, Histogram latencies) {
        double seconds = (double) (measured.nanos() - warmedUp.nanos()) / NANOS_PER_SECOND;
        PublishPump.Counters window = measured.published().minus(warmedUp.published());
        long receivedInWindow = measured.received() - warmedUp.received();
        GeneratorCpu.Usage usage = GeneratorCpu.between(warmedUp.cpu(), measured.cpu());
        double heldBack = Math.min(1.0, (double) window.blockedNanos() / (seconds * NANOS_PER_SECOND * pumps.size()));

        Report report = new Report();
        report.put("run", "scenario", plan.scenario())
                .put("run", "broker", settings.brokerAddress())
                .put("run", "protocol", settings.versionName())
                .put("run", "qos", settings.qos())
                .put("run", "payload_bytes", settings.payloadSize())
                .put("run", "publishers", plan.publisherTopics().size())
                .put("run", "subscribers", plan.subscriberFilters().size())
                .put("run", "requested_rate", settings.rate())
                .put("run", "window", settings.window())
                .put("run", "duration_s", seconds)
                .put("run", "warm_up_s", settings.warmUp().toMillis() / 1000.0);
        report.put("throughput", "published_per_s", window.sent() / seconds)
                .put("throughput", "received_per_s", receivedInWindow / seconds)
                .put("throughput", "acknowledged_per_s", window.completed() / seconds);
        long published = drained.published().sent();
        long expected = published * plan.deliveriesPerMessage();
        report.put("totals", "published", published)
                .put("totals", "acknowledged", drained.published().completed())
                .put("totals", "refused", drained.published().refused())
                .put("totals", "expected", expected)
                .put("totals", "received", drained.received())
                .put("totals", "missing", Math.max(0, expected - drained.received()))
                .put("totals", "unacknowledged", drained.inflight());
        report.put("latency_us", "count", latencies.getTotalCount())
                .put("latency_us", "p50", percentile(latencies, 50))
                .put("latency_us", "p90", percentile(latencies, 90))
                .put("latency_us", "p99", percentile(latencies, 99))
                .put("latency_us", "p99_9", percentile(latencies, 99.9))
                .put("latency_us", "max", latencies.getTotalCount() == 0 ? 0.0
                        : latencies.getMaxValue() / NANOS_PER_MICROSECOND);
        report.put("generator", "transport", transport.name())
                .put("generator", "threads", transport.threads())
                .put("generator", "cores", usage.cores())
                .put("generator", "cpu_percent_of_cores", usage.processPercentOfCores())
                .put("generator", "busiest_thread_percent", usage.busiestThreadPercent())
                .put("generator", "publishers_held_back_percent", PERCENT * heldBack)
                .put("generator", "bottleneck", bottleneck(usage, heldBack, window.sent() / seconds));
        return report;
    }

    /** Who set the pace: the generator (it says so, and the figures are a lower bound) or the broker. */
    private String bottleneck(GeneratorCpu.Usage usage, double heldBack, double publishedPerSecond) {
        if (usage.processPercentOfCores() >= SATURATED_PERCENT) {
            return String.format(Locale.ROOT, "generator: CPU saturated (%.0f%% of %d cores); the broker may do more",
                    usage.processPercentOfCores(), usage.cores());
        }
        if (usage.busiestThreadPercent() >= SATURATED_PERCENT) {
            return String.format(Locale.ROOT,
                    "generator: an event loop thread was saturated (%.0f%%); try --threads or fewer clients per thread",
                    usage.busiestThreadPercent());
        }
        boolean shortOfRate = settings.rateLimited() && publishedPerSecond < REACHED_RATE * settings.rate();
        if (shortOfRate && heldBack < HELD_BACK_SHARE) {
            return "generator: publishers fell behind the requested rate while their channels were writable";
        }
        if (heldBack >= HELD_BACK_SHARE) {
            return String.format(Locale.ROOT,
                    "broker: publishers waited on TCP backpressure or the in-flight window %.0f%% of the time",
                    PERCENT * heldBack);
        }
        if (settings.rateLimited()) {
            return "none: the requested rate was reached";
        }
        return "undetermined: neither the generator's CPU nor backpressure was the limit";
    }

    private static double percentile(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? 0.0
                : histogram.getValueAtPercentile(percentile) / NANOS_PER_MICROSECOND;
    }

    private String closedByBroker() {
        for (BenchConnection connection : subscribers) {
            if (!connection.channel().isActive()) {
                return "subscriber " + connection.clientId() + ": " + connection.closeReason();
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- counting

    /** Counters of all connections at one moment. */
    private record Tally(long nanos, PublishPump.Counters published, long received, int inflight,
                         GeneratorCpu.Sample cpu) {
    }

    private Tally tally(GeneratorCpu cpu) {
        Tally counts = tallyWithoutCpu();
        return new Tally(counts.nanos(), counts.published(), counts.received(), counts.inflight(), cpu.sample());
    }

    private Tally tallyWithoutCpu() {
        PublishPump.Counters published = PublishPump.Counters.ZERO;
        for (PublishPump pump : pumps) {
            published = published.plus(pump.snapshot());
        }
        long received = sumReceived();
        return new Tally(System.nanoTime(), published, received, published.inflight(), null);
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

    private static List<Long> loopThreadIds(Transport transport) {
        List<Future<Long>> ids = new ArrayList<>();
        for (EventExecutor loop : transport.group()) {
            ids.add(loop.submit(() -> Thread.currentThread().threadId()));
        }
        List<Long> result = new ArrayList<>();
        for (Future<Long> id : ids) {
            result.add(await(id));
        }
        return result;
    }

    private static <T> T await(Future<T> future) {
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
