package io.estafeta.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code bench latency}: a fixed rate, and the time from each message's scheduled send to its arrival.
 * Measured from the schedule, not from the actual write, so that a generator or broker that falls behind
 * shows in the figures instead of hiding (coordinated omission). The report also gives the generator's own
 * lateness in sending and the time from the actual send, so that a reader sees how much of the figure is
 * the generator's.
 */
@Command(name = "latency",
        description = "Fixed rate (default 1000 msg/s); figures: end-to-end latency percentiles in microseconds.")
final class LatencyCommand implements Callable<Integer> {

    static final long DEFAULT_RATE = 1_000;
    /**
     * At 1,000 msg/s the generator's own hot paths reach the JIT's last tier only after several seconds; the
     * compilations (and the deoptimisations some of them end in) would otherwise fall into the measured time
     * and share the generator's core with its event loops.
     */
    static final Duration DEFAULT_WARM_UP = Duration.ofSeconds(10);

    @Spec
    private CommandSpec spec;

    @Mixin
    private LoadOptions options;

    @Option(names = {"-P", "--publishers"}, defaultValue = "1", description = "Publishers (default: ${DEFAULT-VALUE}).")
    private int publishers;

    @Option(names = {"-S", "--subscribers"}, defaultValue = "1",
            description = "Subscribers to every publisher's topic (default: ${DEFAULT-VALUE}).")
    private int subscribers;

    @Override
    public Integer call() {
        if (options.payloadSize < PublishFrames.TIMESTAMP_BYTES) {
            spec.commandLine().getErr().println("estafeta bench latency: --payload-size must be at least "
                    + PublishFrames.TIMESTAMP_BYTES + " (the send time travels in the payload)");
            return ScenarioExecution.USAGE;
        }
        return ScenarioExecution.execute(spec, options.json, () -> {
            String root = "bench/" + LoadRun.newRunId() + "/latency/";
            List<String> topics = new ArrayList<>();
            for (int i = 0; i < publishers; i++) {
                topics.add(root + i);
            }
            LoadPlan plan = new LoadPlan("latency", topics, Collections.nCopies(subscribers, root + "+"), subscribers);
            return new LoadRun(options.settings(DEFAULT_RATE, DEFAULT_WARM_UP), plan, spec.commandLine().getErr()).run();
        });
    }
}
