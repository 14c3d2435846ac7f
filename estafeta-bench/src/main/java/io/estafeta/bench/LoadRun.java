package io.estafeta.bench;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one message scenario: connects the subscribers, then the publishers, publishes for the warm-up and
 * the measured time, stops, waits for what is still under way, and reports.
 *
 * <p>Event loops: the subscribers (and publishers that publish as fast as they can) share {@code --threads}
 * loops; rate-limited publishers get as many loops of their own, where they wait for their send times
 * without delaying a subscriber's reading (and so its receive timestamps); bystanders get a loop of their
 * own for their subscribers and one for their publishers, away from the load they run beside.
 */
final class LoadRun {

    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long PROGRESS_INTERVAL_NANOS = NANOS_PER_SECOND;
    /** A QoS 0 drain ends when nothing more arrived for this long (lost messages never will). */
    private static final long QUIET_DRAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(1_000);
    private static final long DRAIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final double NANOS_PER_MICROSECOND = 1_000.0;
    /** Below this share of the requested rate, a rate-limited run fell short. */
    private static final double REACHED_RATE = 0.95;
    /** Above this CPU use (percent of its cores, or of one thread) the generator counts as saturated. */
    private static final double SATURATED_PERCENT = 90.0;
    /** Publishers held back this share of the time or more: the broker set the pace. */
    private static final double HELD_BACK_SHARE = 0.10;
    private static final double PERCENT = 100.0;
    private static final int RUN_ID_LENGTH = 8;
    /** Bystanders publish at a low rate: one event loop carries all their subscribers, one their publishers. */
    private static final int BYSTANDER_THREADS = 1;

    private final LoadSettings settings;
    private final LoadPlan plan;
    private final PrintWriter progress;
    private final Cohort scenario;
    /** Null without bystanders. */
    private Cohort bystanders;

    LoadRun(LoadSettings settings, LoadPlan plan, PrintWriter progress) {
        this.settings = settings;
        this.plan = plan;
        this.progress = progress;
        this.scenario = new Cohort(plan.publisherTopics(), plan.subscriberFilters(), plan.deliveriesPerMessage(),
                settings.rate());
    }

    /** A short random tag for topics and client ids, so that runs against one broker never meet. */
    static String newRunId() {
        return UUID.randomUUID().toString().substring(0, RUN_ID_LENGTH);
    }

    Report run() {
        String runId = newRunId();
        if (plan.bystanders().any()) {
            List<String> topics = new ArrayList<>();
            for (int i = 0; i < plan.bystanders().pairs(); i++) {
                topics.add("bench/" + runId + "/bystander/" + i);
            }
            bystanders = new Cohort(topics, topics, 1, plan.bystanders().rate());
        }
        try (Transport loops = Transport.start(settings.threads(), "loop");
             Transport pacing = settings.rateLimited() ? Transport.start(settings.threads(), "pacing") : null;
             Transport bystanderLoop = bystanders != null ? Transport.start(BYSTANDER_THREADS, "bystanders") : null;
             Transport bystanderPacing = bystanders != null
                     ? Transport.start(BYSTANDER_THREADS, "bystander-pacing") : null) {
            Connector connector = connector(loops);
            try {
                scenario.open(settings, "bench-" + runId + "-", settings.persistentSubscribers(), connector,
                        pacing != null ? connector(pacing) : connector);
                if (bystanders != null) {
                    bystanders.open(settings, "bench-" + runId + "-b", false, connector(bystanderLoop),
                            connector(bystanderPacing));
                }
                List<Transport> all = new ArrayList<>();
                for (Transport transport : new Transport[] {loops, pacing, bystanderLoop, bystanderPacing}) {
                    if (transport != null) {
                        all.add(transport);
                    }
                }
                return measure(all);
            } finally {
                scenario.disconnect();
                if (bystanders != null) {
                    bystanders.disconnect();
                }
            }
        }
    }

    private Connector connector(Transport transport) {
        return new Connector(transport, settings.host(), settings.port());
    }

    private List<Cohort> cohorts() {
        return bystanders == null ? List.of(scenario) : List.of(scenario, bystanders);
    }

    private Report measure(List<Transport> transports) {
        long start = System.nanoTime();
        cohorts().forEach(cohort -> cohort.start(settings, start));
        GeneratorCpu cpu = new GeneratorCpu(loopThreads(transports));
        Tally atStart = tally(cpu);
        Tally warmedUp = runFor("warm-up", atStart, start + settings.warmUp().toNanos(), cpu);
        cohorts().forEach(Cohort::forgetMeasured);
        OptionalLong brokerBefore = brokerCpu();
        Tally measured = runFor("measure", warmedUp, warmedUp.nanos() + settings.duration().toNanos(), cpu);
        OptionalLong brokerAfter = brokerCpu();
        Cohort.Measured scenarioFigures = scenario.measured();
        Cohort.Measured bystanderFigures = bystanders == null ? null : bystanders.measured();
        cohorts().forEach(Cohort::stop);
        Tally drained = drain();
        Report report = report(transports, warmedUp, measured, drained, scenarioFigures);
        if (bystanders != null) {
            reportBystanders(report, drained, bystanderFigures);
        }
        if (brokerBefore.isPresent() && brokerAfter.isPresent()) {
            double wall = measured.nanos() - warmedUp.nanos();
            report.put("broker", "pid", settings.brokerPid())
                    .put("broker", "cpu_percent_of_one_core",
                            PERCENT * (brokerAfter.getAsLong() - brokerBefore.getAsLong()) / wall);
        }
        return report;
    }

    /** The broker's CPU time so far, if it runs here and its process id was given. */
    private OptionalLong brokerCpu() {
        if (settings.brokerPid() == 0) {
            return OptionalLong.empty();
        }
        OptionalLong used = BrokerCpu.usedNanos(settings.brokerPid());
        if (used.isEmpty()) {
            throw new BenchException("cannot read the CPU time of process " + settings.brokerPid() + " from /proc");
        }
        return used;
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
            String closed = closedByBroker();
            if (closed != null) {
                throw new BenchException(closed);
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
                phase, (to.scenario().published().sent() - from.scenario().published().sent()) / seconds,
                (to.scenario().received() - from.scenario().received()) / seconds,
                to.scenario().published().inflight(), usage.processPercentOfCores());
        progress.flush();
    }

    /** Waits until every QoS 1/2 message is acknowledged and every delivery arrived, or nothing more comes. */
    private Tally drain() {
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        Tally last = tally(null);
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            boolean complete = scenario.complete(last.scenario(), settings.qos())
                    && (bystanders == null || bystanders.complete(last.bystanders(), settings.qos()));
            if (complete) {
                break;
            }
            if (settings.qos() == 0 && System.nanoTime() - lastChange > QUIET_DRAIN_NANOS) {
                break;
            }
            LockSupport.parkNanos(DRAIN_POLL_NANOS);
            Tally now = tally(null);
            if (!now.sameProgress(last)) {
                lastChange = System.nanoTime();
            }
            last = now;
        }
        return last;
    }

    private Report report(List<Transport> transports, Tally warmedUp, Tally measured, Tally drained,
                          Cohort.Measured figures) {
        double seconds = (double) (measured.nanos() - warmedUp.nanos()) / NANOS_PER_SECOND;
        PublishPump.Counters window = measured.scenario().published().minus(warmedUp.scenario().published());
        long receivedInWindow = measured.scenario().received() - warmedUp.scenario().received();
        GeneratorCpu.Usage usage = GeneratorCpu.between(warmedUp.cpu(), measured.cpu());
        double heldBack = Math.min(1.0,
                (double) window.blockedNanos() / (seconds * NANOS_PER_SECOND * scenario.publisherCount()));

        Report report = new Report();
        report.put("run", "scenario", plan.scenario())
                .put("run", "broker", settings.brokerAddress())
                .put("run", "protocol", settings.versionName())
                .put("run", "qos", settings.qos())
                .put("run", "payload_bytes", settings.payloadSize())
                .put("run", "publishers", scenario.publisherCount())
                .put("run", "subscribers", scenario.subscriberCount())
                .put("run", "requested_rate", settings.rate())
                .put("run", "window", settings.window())
                .put("run", "duration_s", seconds)
                .put("run", "warm_up_s", settings.warmUp().toMillis() / 1000.0);
        report.put("throughput", "published_per_s", window.sent() / seconds)
                .put("throughput", "received_per_s", receivedInWindow / seconds)
                .put("throughput", "acknowledged_per_s", window.completed() / seconds);
        putTotals(report, "totals", scenario, drained.scenario());
        Percentiles.put(report, "latency_us", figures.latency().fromSchedule());
        if (settings.payloadSize() >= PublishFrames.BOTH_TIMESTAMPS_BYTES) {
            Percentiles.put(report, "latency_from_send_us", figures.latency().fromSend());
        }
        if (settings.rateLimited()) {
            Percentiles.put(report, "send_lateness_us", figures.sendLateness());
        }
        report.put("generator", "transport", transports.getFirst().name())
                .put("generator", "threads", settings.threads())
                .put("generator", "pacing_threads", settings.rateLimited() ? settings.threads() : 0)
                .put("generator", "cores", usage.cores())
                .put("generator", "cpu_percent_of_cores", usage.processPercentOfCores())
                .put("generator", "spin_percent_of_cores", usage.spinPercentOfCores())
                .put("generator", "busiest_thread_percent", usage.busiestThreadPercent())
                .put("generator", "gc_count", usage.gcCount())
                .put("generator", "gc_ms", usage.gcMillis())
                .put("generator", "jit_ms", usage.jitMillis());
        if (settings.rateLimited()) {
            report.put("generator", "wake_up_margin_us", largestMargin(scenario) / NANOS_PER_MICROSECOND);
        }
        report.put("generator", "publishers_held_back_percent", PERCENT * heldBack)
                .put("generator", "bottleneck", bottleneck(usage, heldBack, window.sent() / seconds));
        return report;
    }

    private static void putTotals(Report report, String section, Cohort cohort, Cohort.Count drained) {
        long published = drained.published().sent();
        long expected = cohort.expected(drained);
        report.put(section, "published", published)
                .put(section, "acknowledged", drained.published().completed())
                .put(section, "refused", drained.published().refused())
                .put(section, "expected", expected)
                .put(section, "received", drained.received())
                .put(section, "missing", Math.max(0, expected - drained.received()))
                .put(section, "unacknowledged", drained.published().inflight());
    }

    private void reportBystanders(Report report, Tally drained, Cohort.Measured figures) {
        report.put("run", "bystanders", plan.bystanders().pairs())
                .put("run", "bystander_rate_per_pair", plan.bystanders().ratePerPair());
        putTotals(report, "bystanders", bystanders, drained.bystanders());
        Percentiles.put(report, "bystander_latency_us", figures.latency().fromSchedule());
        Percentiles.put(report, "bystander_send_lateness_us", figures.sendLateness());
    }

    private static long largestMargin(Cohort cohort) {
        return cohort.pacers().values().stream().mapToLong(Pacer::marginNanos).max().orElse(0);
    }

    /** Who set the pace: the generator (it says so, and the figures are a lower bound) or the broker. */
    private String bottleneck(GeneratorCpu.Usage usage, double heldBack, double publishedPerSecond) {
        if (usage.workPercentOfCores() >= SATURATED_PERCENT) {
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

    private String closedByBroker() {
        for (Cohort cohort : cohorts()) {
            String closed = cohort.closedByBroker();
            if (closed != null) {
                return closed;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- counting

    /** Counters of all connections at one moment. */
    private record Tally(long nanos, Cohort.Count scenario, Cohort.Count bystanders, GeneratorCpu.Sample cpu) {

        boolean sameProgress(Tally other) {
            return scenario.received() == other.scenario.received()
                    && scenario.published().completed() == other.scenario.published().completed()
                    && bystanders.received() == other.bystanders.received()
                    && bystanders.published().completed() == other.bystanders.published().completed();
        }
    }

    /** @param cpu where to sample the generator's CPU, or null not to */
    private Tally tally(GeneratorCpu cpu) {
        Cohort.Count others = bystanders == null ? Cohort.Count.ZERO : bystanders.count();
        return new Tally(System.nanoTime(), scenario.count(), others, cpu == null ? null : cpu.sample());
    }

    /** Every event loop thread, with the spinning of the pacer on it, if any. */
    private List<GeneratorCpu.LoopThread> loopThreads(List<Transport> transports) {
        List<GeneratorCpu.LoopThread> threads = new ArrayList<>();
        for (Transport transport : transports) {
            for (EventExecutor loop : transport.group()) {
                Future<Long> id = loop.submit(() -> Thread.currentThread().threadId());
                Pacer pacer = pacerOn(loop);
                threads.add(new GeneratorCpu.LoopThread(Cohort.await(id), pacer == null ? () -> 0 : pacer::spunNanos));
            }
        }
        return threads;
    }

    private Pacer pacerOn(EventExecutor loop) {
        for (Cohort cohort : cohorts()) {
            Map<EventLoop, Pacer> pacers = cohort.pacers();
            if (loop instanceof EventLoop eventLoop && pacers.containsKey(eventLoop)) {
                return pacers.get(eventLoop);
            }
        }
        return null;
    }
}
